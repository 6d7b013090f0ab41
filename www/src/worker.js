// Worker entry: runs a solver off the main thread. Messages in:
//   { type: 'load', model?, backend?, sha256?, cache? } -> 'progress'*, then 'ready' or 'error'
//   { type: 'solve', id, puzzle, options }       -> 'puzzle', 'step'* then 'done', or 'error'
//   { type: 'solve', id, puzzles, options }      -> the same for a batch (solveBatch)
//   { type: 'pull', id }                         -> allows one more step of that solve
//   { type: 'cancel', id }                       -> no further step; 'done' with stopped: true
//   { type: 'call', id, name, args }             -> 'result' with the helper's value, or 'error'
//   { type: 'lose-device' }                      -> destroys the GPU device (to test recovery)
//   { type: 'stats', id }                        -> 'stats' with memory, GPU buffer and step counts
// Errors travel as { name, message, cells }.
//
// A solve computes a step only when it is allowed to: step 1 by the 'solve' message, each later
// one by a 'pull', which the client sends as it hands the previous step to its caller. So the
// worker runs at most one step ahead of its caller, and a cancel sent after step k is delivered
// finds step k + 1 at most under way, however late the message arrives.
import * as trm from './index.js';
import { plain } from './errors.js';

const { initWasm, loadSolver } = trm;
// The puzzle helpers a page may call here, so that it needs no wasm instance of its own.
const HELPERS = new Set(['parseSudoku', 'sudokuClashes', 'isSudokuSolution', 'sudokuSolutionCount', 'solveSudoku',
  'parseArcTask', 'parseMaze', 'generateMaze', 'checkMazePath', 'mergeSteps']);

let wasmExports = null;
initWasm().then((w) => { wasmExports = w; }, () => {});
const wasmMemory = () => wasmExports?.memory;

let solver = null;

// The GPU devices the engine opens, so that losing the GPU can be simulated (tests,
// diagnostics): WebGPU gives no other handle on a device wgpu created.
const devices = [];
if (globalThis.GPUAdapter?.prototype?.requestDevice) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const d = await requestDevice.apply(this, args);
    devices.push(d);
    return d;
  };
}

// Live GPU buffers (created and not yet destroyed), for the endurance check that repeated
// solves do not leak: wgpu destroys a buffer when Rust drops it, so this count must level off.
let buffersCreated = 0;
let buffersDestroyed = 0;
if (globalThis.GPUDevice?.prototype?.createBuffer) {
  const createBuffer = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (...args) {
    buffersCreated++;
    return createBuffer.apply(this, args);
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (...args) {
    buffersDestroyed++;
    return destroy.apply(this, args);
  };
}
// Steps this worker let its solves start, over all solves (each computes one supervision step at
// most): the tests' bound on how far a solve ran on after a cancel.
let stepsStarted = 0;

/** Solves asked for and not yet ended, by id: how many more steps each may compute, what wakes
 * it when that changes, and its abort controller (a cancel may come before the solve starts). */
const runs = new Map();
const post = (m) => self.postMessage(m);

// Solves run one after another: a second solve waits for the first to finish (or to be
// cancelled) instead of interleaving steps on the same engine.
let queue = Promise.resolve();

self.onmessage = ({ data: m }) => {
  const run = runs.get(m.id);
  if (m.type === 'pull' || m.type === 'cancel') {
    if (!run) return; // already over
    if (m.type === 'pull') run.credit++;
    else run.controller.abort();
    run.wake?.();
    return;
  }
  if (m.type === 'lose-device') {
    for (const d of devices) d.destroy();
    return;
  }
  if (m.type === 'stats') {
    post({
      type: 'stats',
      id: m.id,
      stats: {
        wasmMemoryBytes: wasmMemory()?.buffer.byteLength ?? null,
        // Non-standard (Chromium with --enable-precise-memory-info); null elsewhere.
        jsHeapBytes: globalThis.performance?.memory?.usedJSHeapSize ?? null,
        gpuBuffersCreated: buffersCreated,
        gpuBuffersLive: buffersCreated - buffersDestroyed,
        stepsStarted,
      },
    });
    return;
  }
  if (m.type === 'call') {
    // Helpers only need the wasm module, not the model: they answer during a load or a solve.
    const result = HELPERS.has(m.name) ? trm[m.name](...(m.args ?? []))
      : Promise.reject(Object.assign(new Error(`${m.name} is not a helper the worker offers: use ${[...HELPERS].join(', ')}`), { name: 'InputError' }));
    result.then((value) => post({ type: 'result', id: m.id, value }), (e) => post({ type: 'error', id: m.id, error: plain(e) }));
    return;
  }
  if (m.type === 'solve') runs.set(m.id, { credit: 1, wake: null, controller: new AbortController() });
  queue = queue.then(() => (m.type === 'solve' ? solve(m) : load(m)));
};

async function load(m) {
  try {
    solver?.dispose();
    solver = null;
    solver = await loadSolver({
      model: m.model,
      backend: m.backend ?? 'auto',
      sha256: m.sha256,
      cache: m.cache ?? true,
      onProgress: (p) => post({ type: 'progress', ...p }),
    });
    post({
      type: 'ready',
      engine: solver.engine,
      isGpu: solver.isGpu,
      softwareAdapter: solver.softwareAdapter,
      fallbackReason: solver.fallbackReason,
      kind: solver.kind,
      config: solver.config,
      puzzleRows: solver.puzzleRows,
      hasLatentBasis: solver.hasLatentBasis,
    });
  } catch (e) {
    post({ type: 'error', id: null, error: plain(e) });
  }
}

async function solve(m) {
  const run = runs.get(m.id);
  const { signal } = run.controller;
  let steps = null;
  try {
    if (!solver) throw Object.assign(new Error('no model loaded'), { name: 'InputError' });
    const onPuzzle = (info) => post({ type: 'puzzle', id: m.id, info });
    steps = m.puzzles ? solver.solveBatch(m.puzzles, { ...m.options, signal }) : solver.solve(m.puzzle, { ...m.options, onPuzzle, signal });
    for (;;) {
      while (run.credit === 0 && !signal.aborted) await new Promise((wake) => { run.wake = wake; });
      if (signal.aborted) break;
      run.credit--;
      stepsStarted++;
      const r = await steps.next();
      if (r.done) break;
      post({ type: 'step', id: m.id, step: r.value });
    }
    post({ type: 'done', id: m.id, stopped: signal.aborted });
  } catch (e) {
    if (signal.aborted) post({ type: 'done', id: m.id, stopped: true });
    else post({ type: 'error', id: m.id, error: plain(e) });
  } finally {
    runs.delete(m.id);
    await steps?.return();
  }
}
