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
  mergeSteps as wasmMergeSteps,
  solveOptionNames as wasmSolveOptionNames,
} from '../pkg/trm.js';
import { DEFAULT_MODEL_SHA256, SHIPPED_SHA256 } from './default-model.js';
import {
  GpuError, InputError, ModelError, NoWebGPUError, PuzzleError, TrmError, abortReason, checkSignal, typed,
} from './errors.js';
import { DEFAULT_MODEL_URL, SHIPPED_MODELS, clearCache, fetchModel, local, modelBytes } from './models.js';
import { nextTask } from './next-task.js';

export { DEFAULT_MODEL_SHA256, SHIPPED_SHA256 };
export { GpuError, InputError, ModelError, NoWebGPUError, PuzzleError, TrmError, typed };
export { DEFAULT_MODEL_URL, SHIPPED_MODELS, clearCache, fetchModel };

let wasmReady = null;
/**
 * Loads the wasm module once. `wasm` overrides where it comes from: a URL of trm_bg.wasm, or
 * its bytes. (In Node.js the package reads its own file; no need to pass it.)
 */
export function initWasm(wasm) {
  wasmReady ??= (async () => init({ module_or_path: wasm ?? await local.wasm?.() }))().catch((e) => {
    wasmReady = null; // a later call may try again, say with the bytes
    throw new TrmError(`could not load the WebAssembly module trm_bg.wasm: ${e?.message ?? e} (pass its URL or bytes as \`wasm\`; a server must send it as application/wasm)`);
  });
  return wasmReady;
}

// Puzzle helpers ------------------------------------------------------------------------
// The codecs and rules of crate::puzzle, so that a page judges and draws with the same code the
// model's steps are judged with. Each loads the wasm module first and throws typed errors.

const wrap = (f) => async (...args) => {
  await initWasm();
  try {
    return f(...args);
  } catch (e) {
    throw typed(e);
  }
};

/** 81 Sudoku cells (0 blank, 1-9) as the wasm functions take them; an InputError otherwise. */
function sudokuCells(cells, what = 'a Sudoku') {
  const ok = cells != null && typeof cells !== 'string' && cells.length === 81
    && Array.from(cells).every((c) => Number.isInteger(c) && c >= 0 && c <= 9);
  if (!ok) throw new InputError(`${what} is 81 cells, each 0 (blank) or a digit 1-9`);
  return Uint8Array.from(cells);
}

/** Parses Sudoku text (81 characters, '.' or '0' blank, or 9 lines of 9) to 81 cells. */
export const parseSudoku = wrap((text) => Array.from(wasmParseSudoku(String(text))));

/** Cells (indices) that break a Sudoku rule in an 81-cell grid (0 = blank). */
export const sudokuClashes = wrap((cells) => Array.from(wasmClashes(sudokuCells(cells))));

/** Whether `answer` completes `puzzle` without breaking a rule. */
export const isSudokuSolution = wrap((puzzle, answer) => wasmIsSolution(sudokuCells(puzzle, 'the puzzle'), sudokuCells(answer, 'the answer')));

/** Number of solutions, counted up to `limit` (default 2: 1 means unique). */
export const sudokuSolutionCount = wrap((cells, limit = 2) => {
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) throw new InputError(`limit must be a whole number from 1 to 1000, not ${limit}`);
  return wasmCount(sudokuCells(cells), limit);
});

/** The exact solution by backtracking (null when there is none). */
export const solveSudoku = wrap((cells) => {
  const s = wasmSolve(sudokuCells(cells));
  return s ? Array.from(s) : null;
});

/** Parses ARC task JSON (text) to { train: [{ input, output }], test: [{ input, output? }] }. */
export const parseArcTask = wrap((json) => wasmParseArcTask(String(json)));

/** The tokens a model of `kind` reads for a puzzle's text, for tools that feed token batches
 * to solveBatch or another runtime (the encoding is the Rust codec's, docs/MODEL.md). */
export const puzzleTokens = wrap((kind, text) => Array.from(wasmPuzzleTokens(String(kind), String(text))));

/** Checks a square maze of side 3 to 30 (n lines of n, or one line of n*n, of '#', ' ', 'S',
 * 'G'): { width, height, rows }. A maze model reads the one side it was trained on (the
 * bundled 'maze': 30x30, 'maze11': 11x11, 'maze15': 15x15). */
export const parseMaze = wrap((text) => wasmParseMaze(String(text)));

/** One step of a puzzle whose copies ran as shares on several solvers (`firstCopy`), each share
 * that solver's step: the step one batch of all the copies would have given (the Rust
 * crate::solve::merge). A pool of workers calls it and decides nothing itself. */
export const mergeSteps = wrap((parts) => wasmMergeSteps(parts));

/** A new maze with a shortest path longer than minLength: { question, answer } as `side` lines
 * of text. Side 30 (the default) gives a Maze-Hard-like maze (Maze-Hard uses minLength 110); an
 * odd side from 5 to 29 a corridor maze (one route between any two cells; at 11, as the 'maze11'
 * model was trained on, minLength 11). */
export const generateMaze = wrap((seed = Date.now(), minLength = 110, side = 30) => {
  for (const [name, v] of [['seed', seed], ['minLength', minLength], ['side', side]]) {
    if (!(Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER)) throw new InputError(`${name} must be a whole number from 0, not ${v}`);
  }
  return wasmGenerateMaze(seed, minLength, side);
});

/** Verdict on a path (maze text with 'o') for a question (maze text): { valid, shortest, length, shortest_length, reason }. */
export const checkMazePath = wrap((question, answer) => wasmCheckMazePath(String(question), String(answer)));

// Solvers --------------------------------------------------------------------------------

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const LOAD_OPTIONS = ['model', 'backend', 'onProgress', 'cache', 'sha256', 'wasm', 'signal'];

/**
 * Loads a solver. `model`: URL (default: the bundled Sudoku model), a bundled model's name
 * ('sudoku', 'arc', 'arc10' for ARC tasks within 10x10, 'maze' for 30x30 mazes, 'maze11' and 'maze15' for 11x11 and 15x15 ones), a `{ url, sha256 }` from
 * 'trm-web/model-url/<name>', Uint8Array or ArrayBuffer (in Node.js also a file path);
 * `backend`: 'auto' (WebGPU on a hardware adapter, else the CPU engine with the reason in
 * `fallbackReason`: on a software renderer such as SwiftShader the CPU engine is faster, and
 * Node.js has no WebGPU), 'webgpu' (NoWebGPUError when missing) or 'cpu'; `wasm`: see
 * initWasm; `signal`: an AbortSignal that abandons the load.
 */
export async function loadSolver(options = {}) {
  const unknown = Object.keys(options ?? {}).filter((k) => !LOAD_OPTIONS.includes(k));
  if (unknown.length) throw new InputError(`unknown loadSolver option ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${LOAD_OPTIONS.join(', ')}`);
  const { model, backend = 'auto', onProgress, cache = true, sha256, wasm, signal } = options ?? {};
  if (!['auto', 'webgpu', 'cpu'].includes(backend)) {
    throw new InputError(`backend must be 'auto', 'webgpu' or 'cpu', not ${JSON.stringify(backend)}`);
  }
  checkSignal(signal);
  await initWasm(wasm);
  const bytes = await modelBytes(model, { sha256, onProgress, cache, signal });
  if (backend === 'webgpu' && !globalThis.navigator?.gpu) {
    throw new NoWebGPUError('WebGPU is not available here (navigator.gpu is missing)');
  }
  let inner;
  try {
    inner = await Solver.create(bytes, backend);
  } catch (e) {
    throw typed(e, { webgpuAsked: backend === 'webgpu' });
  }
  if (signal?.aborted) {
    inner.free();
    throw abortReason(signal);
  }
  return new TrmSolver(inner);
}

/** A model on an engine, as loadSolver gives it. */
export class TrmSolver {
  #inner;
  #about;
  /** The solve under way, `{ stopped }`; a new one, cancel() and dispose() stop it. */
  #run = null;
  #disposed = false;

  constructor(inner) {
    this.#inner = inner;
    // The CPU engine takes a turn of the event loop between the H cycles of a step too, so that
    // a Stop lands within a cycle of a long step (ARC's and 30x30 mazes' take seconds).
    inner.setPace(nextTask);
    // What a solver is does not change; kept here so that it can still be read after dispose().
    this.#about = {
      engine: inner.isGpu ? inner.engine : 'CPU (WebAssembly)',
      isGpu: inner.isGpu,
      softwareAdapter: inner.softwareAdapter,
      fallbackReason: inner.fallbackReason ?? null,
      kind: inner.kind,
      config: inner.config,
      puzzleRows: inner.puzzleRows ?? null,
      hasLatentBasis: inner.hasLatentBasis,
    };
  }

  /** "CPU (WebAssembly)" or a description of the WebGPU adapter. */
  get engine() { return this.#about.engine; }
  get isGpu() { return this.#about.isGpu; }
  /** True on a software WebGPU adapter (SwiftShader, lavapipe), where the CPU engine is faster. */
  get softwareAdapter() { return this.#about.softwareAdapter; }
  /** Why 'auto' fell back to the CPU, or null. */
  get fallbackReason() { return this.#about.fallbackReason; }
  /** 'sudoku', 'arc' or 'maze'. */
  get kind() { return this.#about.kind; }
  get config() { return this.#about.config; }
  /** Names of the model's puzzle-table rows (ARC: task x augmentation), or null. */
  get puzzleRows() { return this.#about.puzzleRows; }
  /** Whether the model file carries a latent basis, so that solve() takes `latent: true`. */
  get hasLatentBasis() { return this.#about.hasLatentBasis; }
  /** True while a solve is under way (until its loop ends). */
  get busy() { return this.#run !== null; }

  /** Ends the solve under way: no step is computed or delivered after this call, and its
   * loop ends without an error. A later solve runs as usual. */
  cancel() {
    if (!this.#run) return;
    this.#run.stopped = true;
    this.#inner.cancel();
  }

  /** Frees the engine (its GPU buffers and the memory it holds in the wasm module) and ends
   * any solve under way; the solver cannot solve again. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.cancel();
    this.#inner.free();
  }

  /** Starts a run: the earlier one, if its loop is still open, ends at its next step. */
  #begin(start) {
    if (this.#disposed) throw new InputError('this solver was disposed: load another with loadSolver()');
    try {
      // The engine holds one run: starting this one ends the earlier one's loop at its next step.
      if (this.#run) this.#run.stopped = true;
      const r = start();
      this.#run = { stopped: false };
      return r;
    } catch (e) {
      throw typed(e);
    }
  }

  /**
   * Yields each step `next()` computes until it gives null, with its wall time. Between steps
   * it gives the event loop a turn (a page draws, timers fire, cancel() and the signal land),
   * and it computes no step once stopped: after cancel(), dispose() or a newer run it ends, and
   * after `signal` aborts it throws the signal's reason.
   */
  async *#drive(run, signal, next) {
    const over = () => {
      if (signal?.aborted) throw abortReason(signal);
      return run.stopped;
    };
    const onAbort = () => { if (this.#run === run) this.cancel(); };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let first = true; ; first = false) {
        if (!first) await nextTask();
        if (over()) return;
        const t0 = performance.now();
        let value;
        try {
          value = await next();
        } catch (e) {
          throw typed(e);
        }
        // A step that ended after the caller stopped (the GPU's read-back) is not delivered.
        if (value === null || over()) return;
        yield { value, ms: performance.now() - t0 };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.#run === run) this.#run = null;
    }
  }

  /**
   * Runs several puzzles (token arrays) as one batch, yielding every supervision step:
   * { step, ms, puzzles: [{ tokens, probs, qHalt, haltProbability, haltedAt }] }.
   * Options: steps, earlyHalt, threshold, puzzleIds (one per puzzle, default 0), signal.
   */
  async *solveBatch(puzzles, { steps, earlyHalt = false, threshold = 0.5, puzzleIds, signal, ...rest } = {}) {
    const unknown = Object.keys(rest);
    if (unknown.length) throw new InputError(`unknown solveBatch option ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${BATCH_OPTIONS.join(', ')}`);
    checkSignal(signal);
    const n = puzzles?.length ?? 0;
    if (!n) throw new InputError('solveBatch needs at least one puzzle');
    const len = this.config.seq_len;
    const tokens = new Uint32Array(n * len);
    for (let i = 0; i < n; i++) {
      if (puzzles[i]?.length !== len) throw new InputError(`puzzle ${i} has ${puzzles[i]?.length ?? 0} tokens, not ${len}`);
      tokens.set(puzzles[i], i * len);
    }
    const ids = Uint32Array.from(puzzleIds ?? new Array(n).fill(0));
    const inner = this.#inner;
    this.#begin(() => inner.start(tokens, ids, steps ?? this.config.halt_max_steps, earlyHalt, threshold, false));
    for await (const { value: r, ms } of this.#drive(this.#run, signal, () => inner.step())) {
      yield {
        step: r.step,
        ms,
        puzzles: r.puzzles.map((p) => ({
          tokens: p.tokens, probs: p.probs, qHalt: p.q_halt, haltProbability: sigmoid(p.q_halt), haltedAt: p.halted_at ?? null,
        })),
      };
    }
  }

  /**
   * Solves one puzzle given as a person writes it, yielding every supervision step with
   * the answer already read back, judged and voted in Rust:
   * { step, answer: { width, height, rows, cells? } | null, confidence, verdict: { verdict:
   * 'solved' | 'wrong' | 'unreadable' | 'unknown', reason?, cells? }, verified, chosen, votes,
   * qHalt, haltProbability, haltedAt, cycles, latent, cycleLatent, ranked, copies: [{
   * augmentation, attempt, answer, confidence, verdict, qHalt, haltedAt, verifiedAt, latent }],
   * networkSteps, done, ms, grid? }.
   * `puzzle`: Sudoku text or 81 cells (0 or null blank), a maze's text (n lines of n, or n*n
   * characters, n the side the model reads: a maze of another side is a PuzzleError naming
   * both), or an ARC task (JSON text or the parsed object).
   * Options: steps (default: the model's 16; up to 1024), earlyHalt, threshold (0.5),
   * hCycles (answers per H cycle), copies (augmented copies in one batch; ARC default 8,
   * else 1), seed, stopWhenVerified, restartAfter (Sudoku: steps each attempt of a copy gets
   * before a failing copy starts over under a fresh augmentation; 0 never), latent (each step
   * also carries y and z of the answer's cells as colours, `latent: { y, z }` with 3 bytes per
   * cell, for models with a latent basis), test and task (ARC: which test input, and the task's
   * name for the model's puzzle rows), hypotheses ({ budget, agree, branch, cells, branchCopies, depth }: Sudoku,
   * think harder with the model's own digits given back as hypotheses, crate::search; each
   * step then carries round, roundStep, hypotheses, added, withdrawn), onPuzzle(info) (called before the first step with
   * { kind, puzzle, augmentations, puzzleIds, expected, solutions, shortestPath }), signal (an
   * AbortSignal: once aborted, no further step is computed and the loop throws its reason).
   */
  async *solve(puzzle, { onPuzzle, signal, ...options } = {}) {
    const { solve: known, hypotheses: knownHypotheses } = optionNames();
    const unknown = Object.keys(options).filter((k) => !known.includes(k));
    if (unknown.length) {
      throw new InputError(`unknown solve option ${unknown.map((k) => JSON.stringify(k)).join(', ')}: use ${known.join(', ')}, onPuzzle or signal`);
    }
    const h = options.hypotheses;
    if (h !== undefined) {
      const bad = h && typeof h === 'object' ? Object.keys(h).filter((k) => !knownHypotheses.includes(k)) : null;
      if (!bad || bad.length) {
        throw new InputError(`${bad ? `unknown hypotheses option ${bad.map((k) => JSON.stringify(k)).join(', ')}` : 'hypotheses is an object'}: use { ${knownHypotheses.join(', ')} }`);
      }
    }
    checkSignal(signal);
    const text = puzzleText(puzzle);
    const inner = this.#inner;
    const info = this.#begin(() => inner.begin(text, options));
    const run = this.#run;
    onPuzzle?.(info);
    for await (const { value: step, ms } of this.#drive(run, signal, () => inner.next())) {
      step.ms = ms;
      // Sudoku callers of 0.1 read `grid` (81 cells, 0 blank); the same cells as `answer.cells`.
      if (this.kind === 'sudoku') step.grid = step.answer?.cells ?? null;
      yield step;
    }
  }
}

// The option names solve() takes are the ones the Rust side reads (wasm `solveOptionNames`),
// asked once: the package refuses any other name instead of letting serde skip it.
let names = null;
const optionNames = () => (names ??= wasmSolveOptionNames());
const BATCH_OPTIONS = ['steps', 'earlyHalt', 'threshold', 'puzzleIds', 'signal'];

/** The text `begin` reads: strings as given, an ARC task object as JSON, 81 Sudoku cells as a line. */
export function puzzleText(puzzle) {
  if (typeof puzzle === 'string') return puzzle;
  if (Array.isArray(puzzle) || ArrayBuffer.isView(puzzle)) return Array.from(puzzle, (c) => (c ? String(c) : '.')).join('');
  if (puzzle && typeof puzzle === 'object') return JSON.stringify(puzzle);
  throw new InputError(`a puzzle is text, an array of Sudoku cells or an ARC task object, not ${puzzle === null ? 'null' : typeof puzzle}`);
}
