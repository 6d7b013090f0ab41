// Stop means stop in Chromium: in a worker, a pool of workers and on the main thread, on the CPU
// engine and on WebGPU (SwiftShader), a cancel() or an aborted signal after step k of a 64-step
// solve delivers no step after k, lets at most step k + 1 start (a pool's fast worker k + 2),
// and ends the loop. Asserted on step counts, never on time. (The main thread in Node.js:
// www/tests/cancel.test.mjs.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser, serve } from './harness.mjs';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');
const example = (kind) => JSON.parse(readFileSync(resolve(WWW, `examples/${kind}.json`), 'utf8'));
// Held-out Extreme (examples/sudoku.json #8): a long solve, whatever the model gets right.
const PUZZLE = example('sudoku')[8].puzzle;
// On SwiftShader a Sudoku step takes seconds: the WebGPU runs use the far smaller 11x11 maze model.
const MAZE = example('maze11')[0].question;

let site;
let b;
let page;
before(async () => {
  site = await serve();
  b = await browser({ webgpu: true });
  page = await b.newPage();
  await page.goto(`${site.url}/www/tests/blank.html`);
});
after(async () => {
  await b?.close();
  site?.server.close();
});

/** In the page: solves PUZZLE for 64 steps with `make()`'s solver and stops after step `k`
 * by `how` ('cancel' in the loop, 'timer': cancel from a timer while the loop awaits a step, or
 * 'abort': an AbortSignal); returns the steps delivered, how the loop ended, and the worker's
 * count of steps started during the solve. */
async function stopInPage(make, { k, how, options = {}, puzzle = PUZZLE }) {
  return page.evaluate(async ({ make, k, how, options, puzzle }) => {
    const solver = await (0, eval)(make)();
    const stats = async () => (solver.stats ? (await solver.stats()).stepsStarted : null);
    const before = await stats();
    const controller = new AbortController();
    const seen = [];
    let firedAt = null;
    let ended = 'returned';
    try {
      for await (const s of solver.solve(puzzle, { steps: 64, ...options, ...(how === 'abort' ? { signal: controller.signal } : {}) })) {
        seen.push(s.step);
        if (s.step !== k) continue;
        if (how === 'abort') controller.abort();
        else if (how === 'cancel') solver.cancel();
        else setTimeout(() => { firedAt = seen.length; solver.cancel(); }, 0);
      }
    } catch (e) {
      ended = e.name;
    }
    const busy = solver.busy;
    const started = before === null ? null : (await stats()) - before;
    // The solver solves again after a stop.
    const again = [];
    for await (const s of solver.solve(puzzle, { ...options, steps: 2 })) again.push(s.step);
    (solver.terminate ?? solver.dispose).call(solver);
    return { seen, firedAt, ended, busy, started, again, engine: solver.engine };
  }, { make: make.toString(), k, how, options, puzzle });
}

function check(r, { k, how }) {
  assert.equal(r.ended, how === 'abort' ? 'AbortError' : 'returned');
  // In the loop the stop is at step k; from a timer, at whatever step the timer fired (it may
  // fire while step k + 1 or a later one is under way: that step is not delivered).
  const at = how === 'timer' ? r.firedAt : k;
  assert.ok(at !== null && at >= k && at < 64, `stopped at ${at}`);
  assert.deepEqual(r.seen, Array.from({ length: at }, (_, i) => i + 1), 'every step up to the stop, none after it');
  if (r.started !== null) assert.ok(r.started <= at + 1, `${r.started} steps started for ${at} delivered`);
  assert.equal(r.busy, false, 'nothing runs once the loop has ended');
  assert.deepEqual(r.again, [1, 2]);
}

const cpuWorker = async () => (await import('/www/src/worker-client.js')).createWorkerSolver({ backend: 'cpu' });
const cpuPool = async () => (await import('/www/src/worker-client.js')).createWorkerSolver({ backend: 'cpu', workers: 2 });
const gpuWorker = async () => (await import('/www/src/worker-client.js')).createWorkerSolver({ backend: 'webgpu', model: 'maze11' });
const gpuMain = async () => (await import('/www/src/index.js')).loadSolver({ backend: 'webgpu', model: 'maze11' });
const cpuMain = async () => (await import('/www/src/index.js')).loadSolver({ backend: 'cpu' });

for (const how of ['cancel', 'abort', 'timer']) {
  test(`a worker (CPU engine): ${how} after step 2 of 64`, { timeout: 300_000 }, async () => {
    check(await stopInPage(cpuWorker, { k: 2, how }), { k: 2, how });
  });
  test(`a pool of two workers (CPU engine, 4 copies): ${how} after step 2 of 64`, { timeout: 300_000 }, async () => {
    const r = await stopInPage(cpuPool, { k: 2, how, options: { copies: 4 } });
    // Each worker may start one step past the last one it gave the pool, and the pool takes
    // step k + 1 of a fast worker while it waits for a slow one's: so k + 2 at most, each.
    assert.ok(r.started <= 2 * (r.seen.length + 2), `${r.started} steps started in the pool for ${r.seen.length} delivered`);
    check({ ...r, started: null }, { k: 2, how });
  });
}

test('the main thread in Chromium (CPU engine): cancel after step 2, and from a timer', { timeout: 300_000 }, async () => {
  check(await stopInPage(cpuMain, { k: 2, how: 'cancel' }), { k: 2, how: 'cancel' });
  check(await stopInPage(cpuMain, { k: 2, how: 'timer' }), { k: 2, how: 'timer' });
});

test('WebGPU (SwiftShader), on the main thread and in a worker: cancel and abort after step 1 of 64', { timeout: 600_000 }, async () => {
  for (const make of [gpuMain, gpuWorker]) {
    for (const how of ['cancel', 'abort']) {
      const r = await stopInPage(make, { k: 1, how, puzzle: MAZE });
      assert.doesNotMatch(r.engine, /^CPU/, 'the WebGPU engine');
      check(r, { k: 1, how });
    }
  }
});
