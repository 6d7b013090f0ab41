// The same solver API as loadSolver(), running in a Web Worker so the page never blocks.
import { InputError, TrmError, abortReason, checkSignal, typed } from './errors.js';
import { modelSource } from './models.js';

const OPTIONS = ['model', 'backend', 'onProgress', 'cache', 'sha256', 'workerUrl', 'workers', 'signal'];

/**
 * Starts a worker and loads a model in it. Options as loadSolver ({ model, backend,
 * onProgress, cache, sha256, signal }) plus workerUrl and workers (default 1): with more, when the
 * first worker runs the CPU engine, a pool of that many workers, each with the model, splits a
 * solve's copies between them (a CPU engine per core); when it runs WebGPU, that one worker
 * stays alone (the copies already run as one batch on the GPU). Resolves to { engine,
 * isGpu, fallbackReason, kind, config, puzzleRows, hasLatentBasis, workers, busy, solve(puzzle,
 * options), solveBatch(puzzles, options), call(name, ...args), cancel(), dispose() }.
 */
export async function createWorkerSolver(options = {}) {
  const unknown = Object.keys(options ?? {}).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) throw new InputError(`unknown createWorkerSolver option ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${OPTIONS.join(', ')}`);
  const { workers = 1, model, sha256, signal, ...rest } = options ?? {};
  const n = Math.floor(Number(workers));
  if (!(n >= 1 && n <= 64)) throw new InputError(`workers must be a whole number from 1 to 64, not ${workers}`);
  if (typeof Worker !== 'function') {
    throw new TrmError(typeof process === 'object' && process.versions?.node
      ? "createWorkerSolver needs Web Workers, which Node.js does not have: use loadSolver() from 'trm-web', which runs the CPU engine in Node.js"
      : 'createWorkerSolver needs Web Workers, which this JavaScript environment does not have: use loadSolver() from trm-web instead');
  }
  checkSignal(signal);
  // Resolved here, against the page: a relative URL means the page's, not the worker script's.
  const src = modelSource(model, sha256);
  const load = { ...rest, signal, model: src.bytes ?? src.name ?? src.url, sha256: src.name ? sha256 : src.sha256 };
  // The first worker settles the engine. On WebGPU it is the only one (a solve's copies already
  // run as one batch there); on the CPU the others start beside it with the CPU engine, loading
  // the model from the cache and reporting no progress, so the model is read once per worker.
  const first = await startWorker(load);
  if (n === 1 || first.isGpu) return first;
  const others = await Promise.allSettled(Array.from({ length: n - 1 }, () => startWorker({ ...load, backend: 'cpu', onProgress: undefined })));
  const failed = others.find((r) => r.status === 'rejected');
  if (failed) {
    first.terminate();
    for (const r of others) if (r.status === 'fulfilled') r.value.terminate();
    throw failed.reason;
  }
  return pool([first, ...others.map((r) => r.value)]);
}

function startWorker({ model, backend = 'auto', onProgress, cache = true, sha256, workerUrl, signal } = {}) {
  // Written out in full, `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
  // is the form bundlers (Vite, webpack 5) recognise as a worker entry to bundle.
  const worker = workerUrl
    ? new Worker(workerUrl, { type: 'module' })
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  // The URL a bundler gave the worker is its own; a second `new URL('./worker.js', ...)` here
  // would make it emit worker.js once more, unbundled.
  const where = workerUrl ? String(workerUrl) : "trm-web's worker.js";
  let nextId = 1;
  /** Solves of this worker not yet over, by id: each one's `stop()`. */
  const live = new Map();
  const queues = new Map();
  let ready = false;
  return new Promise((resolve, reject) => {
    const fail = (err) => {
      // A solver that never became ready is of no use: free its worker.
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    };
    const onAbort = () => fail(abortReason(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
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
      // After start-up a crash ends every pending solve and call with this error.
      for (const q of queues.values()) q({ type: 'error', error: { name: 'TrmError', message: err.message } });
    };
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'progress') {
        const { type, ...progress } = m;
        onProgress?.(progress);
      } else if (m.type === 'ready') {
        ready = true;
        signal?.removeEventListener('abort', onAbort);
        const terminate = () => {
          for (const stop of live.values()) stop();
          worker.terminate();
          // A solve waiting on the worker would never hear from it again.
          for (const q of queues.values()) q({ type: 'done', stopped: true });
        };
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
          solveBatch: (puzzles, { signal: s, ...options } = {}) => run({ puzzles, options }, undefined, s),
          workers: 1,
          /** True while a solve of this worker is under way or queued (until its loop ends). */
          get busy() { return live.size > 0; },
          /** Ends every solve of this worker: none delivers another step, and each loop ends
           * once the worker has stopped (after the step under way, if any). */
          cancel: () => { for (const stop of live.values()) stop(); },
          /** One of the package's puzzle helpers (parseSudoku, solveSudoku, parseMaze, ...), run in the worker. */
          call: (name, ...args) => request({ type: 'call', name, args }, (r) => r.value),
          /** Memory, GPU buffer and step counts inside the worker (diagnostics, endurance runs, tests). */
          stats: () => request({ type: 'stats' }, (r) => r.stats),
          /** Destroys the worker's GPU device, as a driver crash would (for tests). */
          loseDevice: () => worker.postMessage({ type: 'lose-device' }),
          terminate,
          /** Ends the worker, and with it the engine and everything it holds. */
          dispose: terminate,
          worker,
        });
      } else if (m.type === 'error' && m.id === null) {
        if (!ready) fail(typed(m.error));
      } else queues.get(m.id)?.(m);
    };
    worker.postMessage({ type: 'load', model, backend, sha256, cache });
  });

  function request(message, value) {
    return new Promise((ok, fail) => {
      const id = nextId++;
      queues.set(id, (r) => {
        queues.delete(id);
        if (r.type === 'error') fail(typed(r.error));
        else if (r.type === 'done') fail(new TrmError('the solver worker was terminated before it answered'));
        else ok(value(r));
      });
      worker.postMessage({ ...message, id });
    });
  }

  function solve(puzzle, { onPuzzle, signal: s, ...options } = {}) {
    // Functions and signals do not cross postMessage: the worker reports the puzzle as a
    // message, and an abort becomes a cancel.
    return run({ puzzle, options }, onPuzzle, s);
  }

  async function* run(request, onPuzzle, signal) {
    checkSignal(signal);
    const id = nextId++;
    const pending = [];
    let wake = null;
    let stopped = false;
    let over = false;
    const stop = () => {
      if (stopped || over) return;
      stopped = true;
      worker.postMessage({ type: 'cancel', id });
    };
    live.set(id, stop);
    queues.set(id, (m) => { pending.push(m); wake?.(); });
    signal?.addEventListener('abort', stop, { once: true });
    const nextMessage = async () => {
      if (!pending.length) await new Promise((r) => { wake = r; });
      wake = null;
      return pending.shift();
    };
    worker.postMessage({ type: 'solve', id, ...request });
    try {
      for (;;) {
        const m = await nextMessage();
        if (m.type === 'done' || m.type === 'error') {
          over = true;
          if (m.type === 'error') throw typed(m.error);
          break;
        }
        // Once stopped, what the worker computed before it heard of it is not delivered.
        if (stopped) continue;
        if (m.type === 'puzzle') onPuzzle?.(m.info);
        else if (m.type === 'step') {
          // The worker may compute the next step while the caller uses this one.
          worker.postMessage({ type: 'pull', id });
          yield m.step;
        }
      }
      if (signal?.aborted) throw abortReason(signal);
    } finally {
      // The caller left the loop early (break, return, a throw in its body): the worker stops,
      // and the loop ends once it has, so that `busy` is false and the next solve starts at once.
      if (!over) {
        stop();
        for (let m = await nextMessage(); m.type !== 'done' && m.type !== 'error'; m = await nextMessage()) { /* drained */ }
      }
      signal?.removeEventListener('abort', stop);
      queues.delete(id);
      live.delete(id);
    }
  }
}

/**
 * Workers splitting each solve's copies: worker i runs its share of one plan (`firstCopy`),
 * and each step the head worker merges the shares as one batch would have reported them
 * (mergeSteps, crate::solve::merge): which copy is shown and the vote are Rust's alone.
 */
function pool(members) {
  const [head] = members;
  let stopRequested = false;
  const all = (f) => members.forEach(f);
  return {
    ...head,
    workers: members.length,
    /** True while any worker still runs a solve. */
    get busy() { return members.some((m) => m.busy); },
    solve,
    cancel: () => { stopRequested = true; all((m) => m.cancel()); },
    terminate: () => all((m) => m.terminate()),
    dispose: () => all((m) => m.dispose()),
    loseDevice: () => all((m) => m.loseDevice()),
    stats: async () => {
      const each = await Promise.all(members.map((m) => m.stats()));
      const sum = (k) => each.reduce((a, s) => a + (s[k] ?? 0), 0);
      return { ...each[0], gpuBuffersCreated: sum('gpuBuffersCreated'), gpuBuffersLive: sum('gpuBuffersLive'), stepsStarted: sum('stepsStarted'), workers: each };
    },
  };

  async function* solve(puzzle, { onPuzzle, signal, ...options } = {}) {
    checkSignal(signal);
    const copies = options.copies ?? 1;
    // A search's rounds depend on each other: it runs on one worker.
    if (!Number.isInteger(copies) || copies < members.length || options.hypotheses) {
      yield* head.solve(puzzle, { onPuzzle, signal, ...options });
      return;
    }
    stopRequested = false;
    const onAbort = () => { stopRequested = true; all((m) => m.cancel()); };
    signal?.addEventListener('abort', onAbort, { once: true });
    // Shares as even as can be; the first worker's share starts with the identity copy.
    const shares = members.map((_, i) => Math.floor(copies / members.length) + (i < copies % members.length ? 1 : 0));
    const starts = shares.map((_, i) => shares.slice(0, i).reduce((a, b) => a + b, 0));
    const infos = [];
    const runs = members.map((m, i) => m.solve(puzzle, { ...options, copies: shares[i], firstCopy: starts[i], onPuzzle: (info) => { infos[i] = info; } }));
    const latest = new Array(members.length).fill(null);
    const open = new Set(runs.keys());
    try {
      for (let k = 1; open.size && !stopRequested; k++) {
        const got = await Promise.all([...open].map(async (i) => [i, await runs[i].next()]));
        for (const [i, r] of got) {
          if (r.done) open.delete(i);
          else latest[i] = r.value;
        }
        if (stopRequested || !open.size || latest.some((s) => s === null)) break;
        if (k === 1 && infos.length === members.length) {
          onPuzzle?.({ ...infos[0], augmentations: infos.flatMap((x) => x.augmentations), puzzleIds: infos.flatMap((x) => x.puzzleIds) });
        }
        const step = await merge(latest);
        if (options.stopWhenVerified && step.verified && step.copies.length > 1) step.done = true;
        step.done ||= latest.every((s) => s.done);
        yield step;
        if (step.done) break;
      }
      if (signal?.aborted) throw abortReason(signal);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A share still running (another share verified first, or the caller stopped) stops; the
      // loop ends once every worker has, so that no worker is left busy.
      await Promise.all([...open].map((i) => runs[i].return().catch(() => {})));
    }
  }

  /** The shares' steps as one batch's step: merged by the head worker in Rust (mergeSteps). */
  async function merge(parts) {
    const step = await head.call('mergeSteps', parts);
    step.ms = Math.max(...parts.map((s) => s.ms));
    if ('grid' in parts[0]) step.grid = step.answer?.cells ?? null;
    return step;
  }
}
