// Stop means stop, on the main thread in Node.js (the CPU engine): a cancel() or an aborted
// signal after step k of a 64-step solve delivers no step after k and ends the loop; the event
// loop turns between steps and between H cycles. Asserted on counts, never on time.
// www/tests/cancel-browser.test.mjs does the same in Chromium: workers, a pool, WebGPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, loadSolver } from '../src/index.js';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');
const wasm = readFileSync(resolve(WWW, 'pkg/trm_bg.wasm'));
const model = readFileSync(resolve(WWW, '../models/sudoku.safetensors'));
const example = (kind) => JSON.parse(readFileSync(resolve(WWW, `examples/${kind}.json`), 'utf8'));
// Held-out Extreme (examples/sudoku.json #8): a long solve, whatever the model gets right.
const PUZZLE = example('sudoku')[8].puzzle;

test('main thread (Node.js, CPU engine): cancel() after step 2 of 64 ends the loop there', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  const seen = [];
  for await (const s of solver.solve(PUZZLE, { steps: 64 })) {
    seen.push(s.step);
    assert.equal(solver.busy, true);
    if (s.step === 2) solver.cancel();
  }
  assert.deepEqual(seen, [1, 2]);
  assert.equal(solver.busy, false);
  // A cancel with nothing running does not spoil the next solve.
  solver.cancel();
  const again = [];
  for await (const s of solver.solve(PUZZLE, { steps: 3 })) again.push(s.step);
  assert.deepEqual(again, [1, 2, 3]);
});

test('main thread: an aborted signal ends the loop with its reason, as fetch does', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  const controller = new AbortController();
  const seen = [];
  await assert.rejects(async () => {
    for await (const s of solver.solve(PUZZLE, { steps: 64, signal: controller.signal })) {
      seen.push(s.step);
      if (s.step === 2) controller.abort();
    }
  }, (e) => e.name === 'AbortError');
  assert.deepEqual(seen, [1, 2]);
  // Already aborted: not a single step; a reason of the caller's own is what is thrown.
  const done = new AbortController();
  done.abort(new Error('gone'));
  await assert.rejects(async () => { for await (const _ of solver.solve(PUZZLE, { signal: done.signal })) assert.fail('a step'); }, /gone/);
  await assert.rejects(async () => { for await (const _ of solver.solve(PUZZLE, { signal: 'stop' })) assert.fail('a step'); }, InputError);
  // solveBatch takes the same signal.
  const batch = new AbortController();
  const tokens = Array.from({ length: 81 }, () => 1);
  const steps = [];
  await assert.rejects(async () => {
    for await (const s of solver.solveBatch([tokens], { steps: 64, signal: batch.signal })) {
      steps.push(s.step);
      batch.abort();
    }
  }, (e) => e.name === 'AbortError');
  assert.deepEqual(steps, [1]);
});

test('main thread: timers run between steps, and a cancel() from one lands at once', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  let firedAt = null;
  const seen = [];
  // Before the fix the solve ran all 64 steps in one task: the timer fired after the last.
  setTimeout(() => { firedAt = seen.length; solver.cancel(); }, 0);
  for await (const s of solver.solve(PUZZLE, { steps: 64 })) seen.push(s.step);
  assert.ok(firedAt !== null && firedAt < 64, `the timer fired after ${firedAt} steps`);
  assert.equal(seen.length, firedAt, 'no step is delivered after the cancel');
});

test('main thread: dispose() frees the engine; leaving a loop early leaves the solver usable', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  for await (const s of solver.solve(PUZZLE, { steps: 64 })) if (s.step === 1) break;
  assert.equal(solver.busy, false);
  const again = [];
  for await (const s of solver.solve(PUZZLE, { steps: 2 })) again.push(s.step);
  assert.deepEqual(again, [1, 2]);
  // dispose() in the middle of a solve ends it; the solver then says what it was, and no more.
  const seen = [];
  for await (const s of solver.solve(PUZZLE, { steps: 64 })) {
    seen.push(s.step);
    solver.dispose();
  }
  assert.deepEqual(seen, [1]);
  assert.equal(solver.kind, 'sudoku');
  await assert.rejects(async () => { for await (const _ of solver.solve(PUZZLE)) assert.fail('a step'); }, (e) => e instanceof InputError && /disposed/.test(e.message));
  solver.dispose(); // twice is harmless
});

test('main thread, CPU engine: the event loop also turns between H cycles, and a cancel there ends the step', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  const T = solver.config.H_cycles;
  // In Node.js the solve's turns of the event loop are setImmediate calls: count them.
  const realImmediate = globalThis.setImmediate;
  let turns = 0;
  let onTurn = () => {};
  // nextTask hands setImmediate a promise's resolve function, a native one; other code in this
  // process (the test runner) passes its own.
  globalThis.setImmediate = (f, ...a) => {
    if (/\[native code\]/.test(Function.prototype.toString.call(f))) onTurn(++turns);
    return realImmediate(f, ...a);
  };
  try {
    const seen = [];
    for await (const s of solver.solve(PUZZLE, { steps: 3 })) seen.push(s.step);
    assert.deepEqual(seen, [1, 2, 3]);
    // T - 1 turns within each step, and one before each later ask (steps 2 and 3, and the one
    // that finds the solve over).
    assert.equal(turns, 3 * (T - 1) + 3);
    // A cancel at the first turn inside step 1: the step is left there, nothing is delivered,
    // and no further cycle runs.
    turns = 0;
    onTurn = (n) => { if (n === 1) solver.cancel(); };
    const none = [];
    for await (const s of solver.solve(PUZZLE, { steps: 64 })) none.push(s.step);
    assert.deepEqual(none, []);
    assert.equal(turns, 1);
    // And the solver solves again afterwards.
    onTurn = () => {};
    const again = [];
    for await (const s of solver.solve(PUZZLE, { steps: 2 })) again.push(s.step);
    assert.deepEqual(again, [1, 2]);
  } finally {
    globalThis.setImmediate = realImmediate;
  }
});

