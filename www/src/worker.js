// Worker entry: runs a solver off the main thread. Messages in:
//   { type: 'load', model?, backend?, sha256? }  -> 'progress'*, then 'ready' or 'error'
//   { type: 'solve', id, puzzle, options }       -> 'puzzle', 'step'* then 'done', or 'error'
//   { type: 'solve', id, puzzles, options }      -> the same for a batch (solveBatch)
//   { type: 'cancel', id }                       -> the solve stops after its current step
//   { type: 'lose-device' }                      -> destroys the GPU device (to test recovery)
//   { type: 'stats', id }                        -> 'stats' with memory and GPU buffer counts
// Errors travel as { name, message, cells }.
//   { type: 'call', id, name, args }              -> 'result' with the helper's value, or 'error'
import * as trm from './index.js';

const { initWasm, loadSolver } = trm;
// The puzzle helpers a page may call here, so that it needs no wasm instance of its own.
const HELPERS = new Set(['parseSudoku', 'sudokuClashes', 'isSudokuSolution', 'sudokuSolutionCount', 'solveSudoku',
  'parseArcTask', 'parseMaze', 'generateMaze', 'checkMazePath']);

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

const cancelled = new Set();
const post = (m) => self.postMessage(m);
const plain = (e) => ({ name: e?.name ?? 'TrmError', message: e?.message ?? String(e), cells: e?.cells ?? [] });

// Solves run one after another: a second solve waits for the first to finish (or to be
// cancelled) instead of interleaving steps on the same engine.
let queue = Promise.resolve();

self.onmessage = ({ data: m }) => {
  if (m.type === 'cancel') {
    cancelled.add(m.id);
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
      },
    });
    return;
  }
  if (m.type === 'call') {
    // Helpers only need the wasm module, not the model: they answer during a load or a solve.
    const run = HELPERS.has(m.name) ? trm[m.name](...(m.args ?? []))
      : Promise.reject(Object.assign(new Error(`${m.name} is not a helper the worker offers`), { name: 'InputError' }));
    run.then((value) => post({ type: 'result', id: m.id, value }), (e) => post({ type: 'error', id: m.id, error: plain(e) }));
    return;
  }
  queue = queue.then(() => handle(m));
};

async function handle(m) {
  try {
    if (m.type === 'load') {
      solver = null;
      solver = await loadSolver({
        model: m.model,
        backend: m.backend ?? 'auto',
        sha256: m.sha256,
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
    } else if (m.type === 'solve') {
      if (!solver) throw Object.assign(new Error('no model loaded'), { name: 'InputError' });
      const onPuzzle = (info) => post({ type: 'puzzle', id: m.id, info });
      const steps = m.puzzles ? solver.solveBatch(m.puzzles, m.options ?? {}) : solver.solve(m.puzzle, { ...m.options, onPuzzle });
      for await (const step of steps) {
        post({ type: 'step', id: m.id, step });
        if (cancelled.has(m.id)) break;
      }
      cancelled.delete(m.id);
      post({ type: 'done', id: m.id });
    }
  } catch (e) {
    cancelled.delete(m.id);
    post({ type: 'error', id: m.id ?? null, error: plain(e) });
  }
}
