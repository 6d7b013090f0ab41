// The same solver API as loadSolver(), running in a Web Worker so the page never blocks.
import { GpuError, InputError, ModelError, NoWebGPUError, PuzzleError, TrmError } from './index.js';

const KINDS = { NoWebGPUError, PuzzleError, ModelError, GpuError, InputError };
const revive = (e) => {
  const err = KINDS[e.name] ? new KINDS[e.name](e.message, e.cells) : new TrmError(e.message, e.name);
  if (e.name === 'PuzzleError') err.cells = e.cells ?? [];
  return err;
};

/**
 * Starts a worker and loads a model in it. Options as loadSolver ({ model, backend,
 * onProgress, sha256 }) plus workerUrl. Resolves to { engine, isGpu, fallbackReason, kind,
 * config, puzzleRows, solve(puzzle, options), solveBatch(puzzles, options), cancel(), terminate() }.
 */
export function createWorkerSolver({ model, backend = 'auto', onProgress, sha256, workerUrl } = {}) {
  const worker = new Worker(workerUrl ?? new URL('./worker.js', import.meta.url), { type: 'module' });
  let nextId = 1;
  let current = null;
  const queues = new Map();
  let ready = false;
  return new Promise((resolve, reject) => {
    const fail = (err) => {
      // A solver that never became ready is of no use: free its worker.
      worker.terminate();
      reject(err);
    };
    worker.onerror = (e) => {
      const err = new TrmError(`the solver worker failed: ${e.message ?? e}`);
      if (!ready) fail(err);
      // After start-up a crash ends every pending solve with this error.
      for (const q of queues.values()) q({ type: 'error', error: { name: 'TrmError', message: err.message } });
    };
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'progress') onProgress?.(m);
      else if (m.type === 'ready') {
        ready = true;
        resolve({
          engine: m.engine,
          isGpu: m.isGpu,
          softwareAdapter: m.softwareAdapter ?? false,
          fallbackReason: m.fallbackReason,
          kind: m.kind,
          config: m.config,
          puzzleRows: m.puzzleRows ?? null,
          solve,
          solveBatch: (puzzles, options = {}) => run({ puzzles, options }),
          cancel: () => current && worker.postMessage({ type: 'cancel', id: current }),
          /** One of the package's puzzle helpers (parseSudoku, solveSudoku, parseMaze, ...), run in the worker. */
          call: (name, ...args) => new Promise((ok, fail) => {
            const id = nextId++;
            queues.set(id, (r) => {
              queues.delete(id);
              if (r.type === 'error') fail(revive(r.error));
              else ok(r.value);
            });
            worker.postMessage({ type: 'call', id, name, args });
          }),
          /** Memory and GPU buffer counts inside the worker (diagnostics, endurance runs). */
          stats: () => new Promise((ok) => {
            const id = nextId++;
            queues.set(id, (r) => { queues.delete(id); ok(r.stats); });
            worker.postMessage({ type: 'stats', id });
          }),
          /** Destroys the worker's GPU device, as a driver crash would (for tests). */
          loseDevice: () => worker.postMessage({ type: 'lose-device' }),
          terminate: () => worker.terminate(),
          worker,
        });
      } else if (m.type === 'error' && m.id === null) {
        if (!ready) fail(revive(m.error));
      }
      else queues.get(m.id)?.(m);
    };
    worker.postMessage({ type: 'load', model: model instanceof ArrayBuffer || ArrayBuffer.isView(model) ? model : model?.toString(), backend, sha256 });
  });

  function solve(puzzle, { onPuzzle, ...options } = {}) {
    // Functions do not cross postMessage: the worker reports the puzzle as a message.
    return run({ puzzle, options }, onPuzzle);
  }

  async function* run(request, onPuzzle) {
    const id = nextId++;
    current = id;
    const pending = [];
    let wake = null;
    queues.set(id, (m) => { pending.push(m); wake?.(); });
    worker.postMessage({ type: 'solve', id, ...request });
    try {
      for (;;) {
        if (!pending.length) await new Promise((r) => { wake = r; });
        wake = null;
        const m = pending.shift();
        if (m.type === 'step') yield m.step;
        else if (m.type === 'puzzle') onPuzzle?.(m.info);
        else if (m.type === 'done') return;
        else if (m.type === 'error') throw revive(m.error);
      }
    } finally {
      queues.delete(id);
      if (current === id) current = null;
    }
  }
}
