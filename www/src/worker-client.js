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
 * onProgress, sha256 }) plus workerUrl and workers (default 1): with more, a pool of that
 * many workers, each with the model, splits a solve's copies between them (a CPU engine per
 * core; on WebGPU keep 1, where the copies already run as one batch). Resolves to { engine,
 * isGpu, fallbackReason, kind, config, puzzleRows, hasLatentBasis, workers, solve(puzzle, options),
 * solveBatch(puzzles, options), call(name, ...args), cancel(), terminate() }.
 */
export async function createWorkerSolver({ workers = 1, ...options } = {}) {
  const n = Math.floor(Number(workers));
  if (!(n >= 1 && n <= 64)) throw new InputError(`workers must be a whole number from 1 to 64, not ${workers}`);
  if (n === 1) return startWorker(options);
  const first = await startWorker(options);
  // The others load after the first, from the model cache, and report no progress.
  let rest;
  try {
    rest = await Promise.all(Array.from({ length: n - 1 }, () => startWorker({ ...options, onProgress: undefined })));
  } catch (e) {
    first.terminate();
    throw e;
  }
  return pool([first, ...rest]);
}

function startWorker({ model, backend = 'auto', onProgress, sha256, workerUrl } = {}) {
  // Written out in full, `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
  // is the form bundlers (Vite, webpack 5) recognise as a worker entry to bundle.
  const worker = workerUrl
    ? new Worker(workerUrl, { type: 'module' })
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  // The URL a bundler gave the worker is its own; a second `new URL('./worker.js', ...)` here
  // would make it emit worker.js once more, unbundled.
  const where = workerUrl ? String(workerUrl) : "trm-web's worker.js";
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
    worker.onerror = async (e) => {
      // A worker script that cannot load gives an Event without a message: say what was
      // tried, and what the server answered for it where the URL is known.
      let why = e.message || (ready ? 'it stopped with an error' : 'its script did not load (is it served, as JavaScript, with the modules it imports next to it?)');
      if (!e.message && !ready && workerUrl) {
        const status = await fetch(workerUrl, { method: 'HEAD' }).then((r) => `HTTP ${r.status}, ${r.headers.get('content-type') ?? 'no content type'}`, (x) => x.message);
        why += ` (the server answered: ${status})`;
      }
      const err = new TrmError(`the solver worker ${where} failed: ${why}`);
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
          hasLatentBasis: m.hasLatentBasis ?? false,
          solve,
          solveBatch: (puzzles, options = {}) => run({ puzzles, options }),
          workers: 1,
          /** True while a solve runs in the worker (until its last message). */
          get busy() { return current !== null; },
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

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/**
 * Workers splitting each solve's copies: worker i runs its share of one plan (`firstCopy`),
 * and each step merges the shares as crate::solve reports one batch: the first verified copy
 * (earliest step, then lowest index) is shown, else the answer most copies gave (ties: the
 * higher mean sigmoid(q_halt), then the first seen), from its most confident copy.
 */
function pool(members) {
  const [head] = members;
  let cancelled = false;
  const all = (f) => members.forEach(f);
  return {
    ...head,
    workers: members.length,
    /** True while any worker still runs a solve. */
    get busy() { return members.some((m) => m.busy); },
    solve,
    cancel: () => { cancelled = true; all((m) => m.cancel()); },
    terminate: () => all((m) => m.terminate()),
    loseDevice: () => all((m) => m.loseDevice()),
  };

  async function* solve(puzzle, { onPuzzle, ...options } = {}) {
    const copies = options.copies ?? 1;
    if (!Number.isInteger(copies) || copies < members.length) {
      yield* head.solve(puzzle, { onPuzzle, ...options });
      return;
    }
    cancelled = false;
    // Shares as even as can be; the first worker's share starts with the identity copy.
    const shares = members.map((_, i) => Math.floor(copies / members.length) + (i < copies % members.length ? 1 : 0));
    const starts = shares.map((_, i) => shares.slice(0, i).reduce((a, b) => a + b, 0));
    const infos = [];
    const runs = members.map((m, i) => m.solve(puzzle, { ...options, copies: shares[i], firstCopy: starts[i], onPuzzle: (info) => { infos[i] = info; } }));
    const latest = new Array(members.length).fill(null);
    const live = new Set(runs.keys());
    try {
      for (let k = 1; live.size; k++) {
        const got = await Promise.all([...live].map(async (i) => [i, await runs[i].next()]));
        for (const [i, r] of got) {
          if (r.done) live.delete(i);
          else latest[i] = r.value;
        }
        if (!live.size || latest.some((s) => s === null)) break;
        if (k === 1 && infos.length === members.length) {
          onPuzzle?.({ ...infos[0], augmentations: infos.flatMap((x) => x.augmentations), puzzleIds: infos.flatMap((x) => x.puzzleIds) });
        }
        const step = merge(latest, k);
        if (options.stopWhenVerified && step.verified && step.copies.length > 1) step.done = true;
        step.done ||= latest.every((s) => s.done);
        yield step;
        if (step.done || cancelled) break;
      }
    } finally {
      // A share still running (another share verified first, or the caller stopped) ends
      // after its current step; the pool waits for it so no worker is left busy.
      if (live.size) {
        all((m) => m.cancel());
        await Promise.all([...live].map(async (i) => {
          try {
            while (!(await runs[i].next()).done) { /* the step under way when cancelled */ }
          } catch { /* a share that fails while stopping has stopped */ }
        }));
      }
    }
  }

  function merge(parts, k) {
    const copies = parts.flatMap((s) => s.copies);
    let chosen = -1;
    copies.forEach((c, i) => {
      if (c.verifiedAt !== null && (chosen < 0 || c.verifiedAt < copies[chosen].verifiedAt)) chosen = i;
    });
    const groups = new Map();
    copies.forEach((c, i) => {
      if (!c.answer) return;
      const key = c.answer.rows.join('\n');
      const g = groups.get(key) ?? { members: [], confidence: 0 };
      g.members.push(i);
      g.confidence += sigmoid(c.qHalt);
      groups.set(key, g);
    });
    const ranked = [...groups.values()].sort((a, b) => b.members.length - a.members.length
      || b.confidence / b.members.length - a.confidence / a.members.length);
    if (chosen < 0 && ranked.length) {
      chosen = ranked[0].members.reduce((x, y) => (copies[y].qHalt > copies[x].qHalt ? y : x));
    }
    if (chosen < 0) chosen = 0;
    const c = copies[chosen];
    const key = c.answer?.rows.join('\n');
    // The H-cycle answers come with a share's own chosen copy only.
    let owner = 0;
    while (owner + 1 < parts.length && chosen >= parts.slice(0, owner + 1).reduce((a, s) => a + s.copies.length, 0)) owner++;
    const local = chosen - parts.slice(0, owner).reduce((a, s) => a + s.copies.length, 0);
    const step = {
      step: k,
      answer: c.answer,
      confidence: c.confidence,
      verdict: c.verdict,
      verified: c.verdict.verdict === 'solved' || copies.length === 1,
      chosen,
      votes: key === undefined ? 0 : groups.get(key).members.length,
      qHalt: c.qHalt,
      haltProbability: sigmoid(c.qHalt),
      haltedAt: c.haltedAt,
      cycles: parts[owner].chosen === local ? parts[owner].cycles : [],
      latent: c.latent ?? null,
      cycleLatent: parts[owner].chosen === local ? parts[owner].cycleLatent : [],
      ranked: ranked.slice(0, 2).map((g) => ({
        answer: copies[g.members[0]].answer,
        votes: g.members.length,
        confidence: g.confidence / g.members.length,
        verdict: copies[g.members[0]].verdict,
      })),
      copies,
      networkSteps: parts.reduce((a, s) => a + s.networkSteps, 0),
      done: false,
      ms: Math.max(...parts.map((s) => s.ms)),
    };
    if ('grid' in parts[0]) step.grid = c.answer?.cells ?? null;
    return step;
  }
}
