// trm-web: the Tiny Recursive Model in the browser. Loads the wasm module and a model
// file, picks WebGPU (or the CPU engine compiled to wasm), and streams every supervision
// step of a solve.
import init, {
  Solver,
  parseSudoku as wasmParseSudoku,
  sudokuClashes as wasmClashes,
  isSudokuSolution as wasmIsSolution,
  solveSudoku as wasmSolve,
  sudokuSolutionCount as wasmCount,
  parseArcTask as wasmParseArcTask,
  parseMaze as wasmParseMaze,
  puzzleTokens as wasmPuzzleTokens,
  generateMaze as wasmGenerateMaze,
  checkMazePath as wasmCheckMazePath,
} from '../pkg/trm.js';
import { DEFAULT_MODEL_SHA256, SHIPPED_SHA256 } from './default-model.js';

export { DEFAULT_MODEL_SHA256, SHIPPED_SHA256 };

/** Base class of every error this package throws; `name` says which kind. */
export class TrmError extends Error {
  constructor(message, name = 'TrmError') {
    super(message);
    this.name = name;
  }
}
/** WebGPU was asked for and is missing or failed. */
export class NoWebGPUError extends TrmError {
  constructor(message) { super(message, 'NoWebGPUError'); }
}
/** The puzzle is malformed; `cells` lists the 0-based indices at fault. */
export class PuzzleError extends TrmError {
  constructor(message, cells = []) {
    super(message, 'PuzzleError');
    this.cells = Array.from(cells);
  }
}
/** The model file is unreadable, inconsistent or of the wrong kind. */
export class ModelError extends TrmError {
  constructor(message) { super(message, 'ModelError'); }
}
/** The GPU failed while running. */
export class GpuError extends TrmError {
  constructor(message) { super(message, 'GpuError'); }
}
/** Bad options or input tokens. */
export class InputError extends TrmError {
  constructor(message) { super(message, 'InputError'); }
}

const KINDS = { PuzzleError, ModelError, GpuError, InputError };

/** Turns an error thrown by the wasm module into this package's typed error. */
export function typed(e, { webgpuAsked = false } = {}) {
  if (e instanceof TrmError) return e;
  const name = e?.name;
  const message = e?.message ?? String(e);
  if (name === 'GpuError' && webgpuAsked) return new NoWebGPUError(message);
  if (name === 'PuzzleError') return new PuzzleError(message, e.cells ?? []);
  if (KINDS[name]) return new KINDS[name](message);
  return new TrmError(message);
}

export const DEFAULT_MODEL_URL = new URL('../models/sudoku.safetensors', import.meta.url).href;
/** Each bundled model by name (models/<name>.safetensors: 'sudoku', 'arc', 'maze' for 30x30
 * Maze-Hard, 'maze11' for 11x11 corridor mazes), with the SHA-256 loadSolver checks it against.
 * Only the default (Sudoku) URL is written so that bundlers see it: the others are built at run
 * time, where they resolve next to this file unbundled; a bundled app imports
 * 'trm-web/model-url/<name>', which makes the bundler emit that file. */
// Not written inside `new URL(..., import.meta.url)`: bundlers would emit every file the
// pattern matches (webpack also warns of an expression it cannot resolve).
const HERE = import.meta.url;
export const SHIPPED_MODELS = Object.fromEntries(Object.entries(SHIPPED_SHA256).map(([name, sha256]) => [
  name, { url: name === 'sudoku' ? DEFAULT_MODEL_URL : new URL(`../models/${name}.safetensors`, HERE).href, sha256 },
]));
const CACHE_NAME = 'trm-models-v1';

/** Removes every model file this package cached with the Cache API; true if there were any. */
export async function clearCache() {
  return globalThis.caches ? caches.delete(CACHE_NAME) : false;
}

let wasmReady = null;
/**
 * Loads the wasm module once. `wasm` overrides where it comes from: a URL of
 * trm_bg.wasm, or its bytes (Node.js, where fetch cannot read files).
 */
export function initWasm(wasm) {
  wasmReady ??= init(wasm ? { module_or_path: wasm } : undefined);
  return wasmReady;
}

async function sha256Hex(bytes) {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetches a model file with progress, keeping a copy in the Cache API for the next visit.
 * Options: onProgress({ loaded, total, cached }), cache (default true), sha256 (hex; the
 * file is rejected when it differs), maxBytes (default 256 MiB).
 */
export async function fetchModel(url, { onProgress, cache = true, sha256, maxBytes = 256 << 20 } = {}) {
  const href = new URL(url, globalThis.location?.href).href;
  let store = null;
  if (cache && globalThis.caches) {
    try { store = await caches.open(CACHE_NAME); } catch { store = null; }
  }
  let res = store ? await store.match(href) : undefined;
  const cached = Boolean(res);
  if (!res) {
    try {
      res = await fetch(href);
    } catch (e) {
      throw new ModelError(`could not fetch the model ${href}: ${e.message}`);
    }
    if (!res.ok) {
      const name = Object.keys(SHIPPED_MODELS).find((k) => k !== 'sudoku' && SHIPPED_MODELS[k].url === href);
      // A bundled app never emitted the file a model name points at: say how to make it do so.
      const hint = name ? ` (in an app built with a bundler, import the model from 'trm-web/model-url/${name}' and pass it as \`model\`)` : '';
      throw new ModelError(`could not fetch the model ${href}: HTTP ${res.status} ${res.statusText}${hint}`);
    }
  }
  const total = Number(res.headers.get('content-length')) || 0;
  if (total > maxBytes) throw new ModelError(`the model is ${total} bytes, over the ${maxBytes}-byte limit`);
  const chunks = [];
  let loaded = 0;
  const reader = res.clone().body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (loaded > maxBytes) throw new ModelError(`the model is over the ${maxBytes}-byte limit`);
    chunks.push(value);
    onProgress?.({ loaded, total, cached });
  }
  const bytes = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) { bytes.set(c, o); o += c.length; }
  if (sha256) {
    const got = await sha256Hex(bytes);
    if (got !== sha256.toLowerCase()) {
      if (store) await store.delete(href);
      throw new ModelError(`the model's SHA-256 is ${got}, expected ${sha256}`);
    }
  }
  if (store && !cached) {
    try { await store.put(href, res); } catch { /* quota or opaque response: still usable */ }
  }
  return bytes;
}

/** Parses Sudoku text (81 characters, '.' or '0' blank, or 9 lines of 9) to 81 cells. */
export async function parseSudoku(text) {
  await initWasm();
  try {
    return Array.from(wasmParseSudoku(String(text)));
  } catch (e) {
    throw typed(e);
  }
}

/** Cells (indices) that break a Sudoku rule in an 81-cell grid (0 = blank). */
export async function sudokuClashes(cells) {
  await initWasm();
  return Array.from(wasmClashes(Uint8Array.from(cells)));
}

/** Whether `answer` completes `puzzle` without breaking a rule. */
export async function isSudokuSolution(puzzle, answer) {
  await initWasm();
  return wasmIsSolution(Uint8Array.from(puzzle), Uint8Array.from(answer));
}

/** Number of solutions, counted up to `limit` (default 2: 1 means unique). */
export async function sudokuSolutionCount(cells, limit = 2) {
  await initWasm();
  return wasmCount(Uint8Array.from(cells), limit);
}

/** The exact solution by backtracking (null when there is none). */
export async function solveSudoku(cells) {
  await initWasm();
  const s = wasmSolve(Uint8Array.from(cells));
  return s ? Array.from(s) : null;
}

// ARC ------------------------------------------------------------------------------------

const wrap = (f) => async (...args) => {
  await initWasm();
  try {
    return f(...args);
  } catch (e) {
    throw typed(e);
  }
};

/** Parses ARC task JSON (text) to { train: [{ input, output }], test: [{ input, output? }] }. */
export const parseArcTask = wrap((json) => wasmParseArcTask(String(json)));

/** The tokens a model of `kind` reads for a puzzle's text, for tools that feed token batches
 * to solveBatch or another runtime (the encoding is the Rust codec's, docs/MODEL.md). */
export const puzzleTokens = wrap((kind, text) => Array.from(wasmPuzzleTokens(String(kind), String(text))));

// Mazes ----------------------------------------------------------------------------------

/** Checks a square maze of side 3 to 30 (n lines of n, or one line of n*n, of '#', ' ', 'S',
 * 'G'): { width, height, rows }. A maze model reads the one side it was trained on (the
 * bundled 'maze': 30x30, 'maze11': 11x11). */
export const parseMaze = wrap((text) => wasmParseMaze(String(text)));

/** A new maze with a shortest path longer than minLength: { question, answer } as `side` lines
 * of text. Side 30 (the default) gives a Maze-Hard-like maze (Maze-Hard uses minLength 110); an
 * odd side from 5 to 29 a corridor maze (one route between any two cells; at 11, as the 'maze11'
 * model was trained on, minLength 11). */
export const generateMaze = wrap((seed = Date.now(), minLength = 110, side = 30) => wasmGenerateMaze(seed, minLength, side));

/** Verdict on a path (maze text with 'o') for a question (maze text): { valid, shortest, length, shortest_length, reason }. */
export const checkMazePath = wrap((question, answer) => wasmCheckMazePath(String(question), String(answer)));

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/**
 * Loads a solver. `model`: URL (default: the bundled Sudoku model), a bundled model's name
 * ('sudoku', 'arc', 'maze' for 30x30 mazes, 'maze11' for 11x11 ones), a `{ url, sha256 }` from
 * 'trm-web/model-url/<name>', Uint8Array or
 * ArrayBuffer; `backend`: 'auto' (WebGPU on a hardware adapter, else the CPU engine with
 * the reason in `fallbackReason`: on a software renderer such as SwiftShader the CPU engine
 * is faster), 'webgpu' (NoWebGPUError when missing) or 'cpu'; `wasm`: see initWasm.
 */
export async function loadSolver({ model, backend = 'auto', onProgress, cache = true, sha256, wasm } = {}) {
  if (!['auto', 'webgpu', 'cpu'].includes(backend)) {
    throw new InputError(`backend must be 'auto', 'webgpu' or 'cpu', not ${JSON.stringify(backend)}`);
  }
  await initWasm(wasm);
  let bytes;
  if (model instanceof Uint8Array) bytes = model;
  else if (model instanceof ArrayBuffer) bytes = new Uint8Array(model);
  else if (model === undefined) {
    // The bundled model is checked against its recorded hash unless the caller gives one.
    bytes = await fetchModel(DEFAULT_MODEL_URL, { onProgress, cache, sha256: sha256 ?? DEFAULT_MODEL_SHA256 });
  } else if (model && typeof model === 'object' && typeof model.url === 'string' && !(model instanceof URL)) {
    // { url, sha256 }: a 'trm-web/model-url/<name>' import.
    bytes = await fetchModel(model.url, { onProgress, cache, sha256: sha256 ?? model.sha256 });
  } else if (typeof model === 'string' && SHIPPED_MODELS[model]) {
    // 'sudoku', 'arc', 'maze' or 'maze11': that bundled model, hash-checked the same way.
    bytes = await fetchModel(SHIPPED_MODELS[model].url, { onProgress, cache, sha256: sha256 ?? SHIPPED_MODELS[model].sha256 });
  } else bytes = await fetchModel(model, { onProgress, cache, sha256 });
  if (backend === 'webgpu' && !globalThis.navigator?.gpu) {
    throw new NoWebGPUError('WebGPU is not available in this browser (navigator.gpu is missing)');
  }
  let inner;
  try {
    inner = await Solver.create(bytes, backend);
  } catch (e) {
    throw typed(e, { webgpuAsked: backend === 'webgpu' });
  }
  return new TrmSolver(inner);
}

export class TrmSolver {
  constructor(inner) { this.inner = inner; }
  /** "CPU" or a description of the WebGPU adapter. */
  get engine() { return this.inner.isGpu ? this.inner.engine : 'CPU (WebAssembly)'; }
  get isGpu() { return this.inner.isGpu; }
  /** True on a software WebGPU adapter (SwiftShader, lavapipe), where the CPU engine is faster. */
  get softwareAdapter() { return this.inner.softwareAdapter; }
  /** Why 'auto' fell back to the CPU, or null. */
  get fallbackReason() { return this.inner.fallbackReason ?? null; }
  /** 'sudoku', 'arc' or 'maze'. */
  get kind() { return this.inner.kind; }
  get config() { return this.inner.config; }
  /** Names of the model's puzzle-table rows (ARC: task x augmentation), or null. */
  get puzzleRows() { return this.inner.puzzleRows ?? null; }
  /** Whether the model file carries a latent basis, so that solve() takes `latent: true`. */
  get hasLatentBasis() { return this.inner.hasLatentBasis; }

  /**
   * Runs several puzzles (token arrays) as one batch, yielding every supervision step:
   * { step, ms, puzzles: [{ tokens, probs, qHalt, haltProbability, haltedAt }] }.
   * Options as solve(), plus puzzleIds (one per puzzle, default 0).
   */
  async *solveBatch(puzzles, { steps, earlyHalt = false, threshold = 0.5, puzzleIds } = {}) {
    const n = puzzles?.length ?? 0;
    if (!n) throw new InputError('solveBatch needs at least one puzzle');
    const len = this.config.seq_len;
    const tokens = new Uint32Array(n * len);
    for (let i = 0; i < n; i++) {
      if (puzzles[i]?.length !== len) throw new InputError(`puzzle ${i} has ${puzzles[i]?.length ?? 0} tokens, not ${len}`);
      tokens.set(puzzles[i], i * len);
    }
    const ids = Uint32Array.from(puzzleIds ?? new Array(n).fill(0));
    for await (const { r, ms } of this.#steps(tokens, ids, steps, earlyHalt, threshold, false)) {
      yield {
        step: r.step,
        ms,
        puzzles: r.puzzles.map((p) => ({
          tokens: p.tokens, probs: p.probs, qHalt: p.q_halt, haltProbability: sigmoid(p.q_halt), haltedAt: p.halted_at ?? null,
        })),
      };
    }
  }

  /** Starts a run and yields each step's raw report with its wall time; errors typed. */
  async *#steps(tokens, ids, steps, earlyHalt, threshold, hCycles) {
    try {
      this.inner.start(tokens, ids, steps ?? this.config.halt_max_steps, earlyHalt, threshold, hCycles);
    } catch (e) {
      throw typed(e);
    }
    for await (const { value: r, ms } of timed(() => this.inner.step())) yield { r, ms };
  }

  /**
   * Solves one puzzle given as a person writes it, yielding every supervision step with
   * the answer already read back, judged and voted in Rust:
   * { step, answer: { width, height, rows, cells? } | null, confidence, verdict: { verdict:
   * 'solved' | 'wrong' | 'unreadable' | 'unknown', reason?, cells? }, verified, chosen, votes,
   * qHalt, haltProbability, haltedAt, cycles, latent, cycleLatent, copies: [{ augmentation,
   * attempt, answer, verdict, qHalt, haltedAt, verifiedAt, latent }], networkSteps, done, ms,
   * grid? }.
   * `puzzle`: Sudoku text or 81 cells (0 or null blank), a maze's text (n lines of n, or n*n
   * characters, n the side the model reads: a maze of another side is a PuzzleError naming
   * both), or an ARC task (JSON text or the parsed object).
   * Options: steps (default: the model's 16; up to 1024), earlyHalt, threshold (0.5),
   * hCycles (answers per H cycle), copies (augmented copies in one batch; ARC default 8,
   * else 1), seed, stopWhenVerified, restartAfter (Sudoku: steps each attempt of a copy gets
   * before a failing copy starts over under a fresh augmentation; 0 never), latent (each step
   * also carries y and z of the answer's cells as colours, `latent: { y, z }` with 3 bytes per
   * cell, for models with a latent basis), test and task (ARC: which test input, and the task's
   * name for the model's puzzle rows), onPuzzle(info) (called before the first step with
   * { kind, puzzle, augmentations, expected, solutions, shortestPath }).
   */
  async *solve(puzzle, { onPuzzle, ...options } = {}) {
    const unknown = Object.keys(options).filter((k) => !SOLVE_OPTIONS.includes(k));
    if (unknown.length) {
      throw new InputError(`unknown solve option ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${SOLVE_OPTIONS.join(', ')} or onPuzzle`);
    }
    let info;
    try {
      info = this.inner.begin(puzzleText(puzzle), options);
    } catch (e) {
      throw typed(e);
    }
    onPuzzle?.(info);
    for await (const { value: step, ms } of timed(() => this.inner.next())) {
      step.ms = ms;
      // Sudoku callers of 0.1 read `grid` (81 cells, 0 blank); the same cells as `answer.cells`.
      if (this.kind === 'sudoku') step.grid = step.answer?.cells ?? null;
      yield step;
    }
  }
}

/** Awaits `next()` until it gives null, yielding each value with its wall time; errors typed. */
async function* timed(next) {
  for (;;) {
    const t0 = performance.now();
    let value;
    try {
      value = await next();
    } catch (e) {
      throw typed(e);
    }
    if (value === null) return;
    yield { value, ms: performance.now() - t0 };
  }
}

const SOLVE_OPTIONS = ['steps', 'earlyHalt', 'threshold', 'hCycles', 'copies', 'seed', 'stopWhenVerified', 'restartAfter', 'firstCopy', 'latent', 'test', 'task'];

/** The text `begin` reads: strings as given, an ARC task object as JSON, 81 Sudoku cells as a line. */
export function puzzleText(puzzle) {
  if (typeof puzzle === 'string') return puzzle;
  if (Array.isArray(puzzle) || ArrayBuffer.isView(puzzle)) return Array.from(puzzle, (c) => (c ? String(c) : '.')).join('');
  if (puzzle && typeof puzzle === 'object') return JSON.stringify(puzzle);
  throw new InputError(`a puzzle is text, an array of Sudoku cells or an ARC task object, not ${puzzle === null ? 'null' : typeof puzzle}`);
}
