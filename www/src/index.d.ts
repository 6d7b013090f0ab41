// Types of trm-web's public API (src/index.js; in Node.js src/node.js, the same API).

/** Base class of every error this package throws; `name` says which kind. */
export class TrmError extends Error {
  constructor(message: string, name?: string);
}
/** WebGPU was asked for and is missing or failed. */
export class NoWebGPUError extends TrmError {
  constructor(message: string);
}
/** The puzzle is malformed; `cells` lists the 0-based indices of the cells at fault (empty
 * where no cell in particular is). */
export class PuzzleError extends TrmError {
  constructor(message: string, cells?: ArrayLike<number>);
  cells: number[];
}
/** The model file is unreadable, inconsistent or of the wrong kind, or could not be fetched. */
export class ModelError extends TrmError {
  constructor(message: string);
}
/** The GPU failed while running. */
export class GpuError extends TrmError {
  constructor(message: string);
}
/** Bad options or input. */
export class InputError extends TrmError {
  constructor(message: string);
}

export type Backend = 'auto' | 'webgpu' | 'cpu';
export type PuzzleKind = 'sudoku' | 'arc' | 'maze';
/** The bundled models by name: a maze model reads the one side it was trained on ('maze'
 * 30x30 Maze-Hard, 'maze11' and 'maze15' 11x11 and 15x15 corridor mazes); 'arc10' reads ARC
 * tasks whose every grid fits 10x10, 'arc' any task. */
export type ShippedModel = 'sudoku' | 'arc' | 'arc10' | 'maze' | 'maze11' | 'maze15';

export interface Progress {
  loaded: number;
  /** 0 when the server sent no length. */
  total: number;
  /** true when the model came from the browser's cache. */
  cached: boolean;
}

/** The model's hyper-parameters, named as in the paper's code. */
export interface ModelConfig {
  vocab_size: number;
  seq_len: number;
  hidden_size: number;
  num_heads: number;
  expansion: number;
  L_layers: number;
  H_cycles: number;
  L_cycles: number;
  halt_max_steps: number;
  pos_encodings: 'rope' | 'rope2d' | 'learned' | 'none';
  mlp_t: boolean;
  puzzle_emb_ndim: number;
  puzzle_emb_len: number;
  num_puzzle_identifiers: number;
  rms_norm_eps: number;
  rope_theta: number;
}

export interface LoadOptions {
  /** URL of a model file, its bytes, a bundled model's name (ShippedModel: 'maze' reads 30x30
   * mazes, 'maze11' 11x11 ones, 'maze15' 15x15 ones), or a bundled model imported from 'trm-web/model-url/<name>'
   * (in apps built with a bundler, which then emits that file) (default: the bundled Sudoku model). */
  model?: ShippedModel | string | URL | Uint8Array | ArrayBuffer | { url: string; sha256?: string };
  backend?: Backend;
  onProgress?: (p: Progress) => void;
  /** Keep fetched models in the Cache API (default true). */
  cache?: boolean;
  /** Expected SHA-256 of the model file, hex. */
  sha256?: string;
  /** Where the wasm module comes from: URL of trm_bg.wasm, or its bytes (in Node.js the
   * package reads its own). */
  wasm?: string | URL | BufferSource;
  /** Abandons the load (the model's download) when aborted: loadSolver rejects with its reason. */
  signal?: AbortSignal;
}

export interface SolveOptions {
  /** Supervision steps (default: the model's halt_max_steps, 16; at most 1024). */
  steps?: number;
  /** Stop a copy once sigmoid(q_halt) passes `threshold`. */
  earlyHalt?: boolean;
  threshold?: number;
  /** Also return the answer after every H cycle. */
  hCycles?: boolean;
  /** Augmented copies run as one batch (ARC default 8, mazes at most 8, Sudoku default 1). */
  copies?: number;
  /** Seed of the copies' random augmentations. */
  seed?: number;
  /** End the solve at the first step where a copy's answer passes the puzzle's check. */
  stopWhenVerified?: boolean;
  /** Sudoku: steps each attempt of a copy gets; a copy whose answer has not passed the rules
   * by then starts over under a fresh augmentation, y and z reset (default 0: never). */
  restartAfter?: number;
  /** Run copies firstCopy .. firstCopy + copies of the plan (a worker pool's share; default 0). */
  firstCopy?: number;
  /** Each step also carries y and z of the shown answer's cells as colours (`latent`); needs a
   * model with a latent basis (`hasLatentBasis`). Off by default, so a solve pays nothing for it. */
  latent?: boolean;
  /** ARC: which test input of the task (default 0). */
  test?: number;
  /** ARC: the task's name (its file's stem), which picks the model's own puzzle rows. */
  task?: string;
  /** Sudoku: think harder with hypotheses. Rounds of `copies` copies for up to `steps` steps
   * (default: the search's measured round length, not the model's 16) run on the puzzle plus the model's own digits given back as if given: at the cell its
   * copies doubted most, each of its `branch` most-voted digits in turn, then the next of the
   * `cells` most doubted cells (and, with `agree` of 1 or less, the cells that share of the
   * copies agreed on), each such round on `branchCopies` copies (0: `copies`), searched depth
   * first to `depth` layers and withdrawn when a branch finds nothing, until a copy's answer
   * passes the rules or `budget` network steps are spent. Each step then carries `round`,
   * `roundStep`, `hypotheses`, `added` and `withdrawn`. A worker pool runs such a solve on one
   * worker. */
  hypotheses?: { budget: number; agree?: number; branch?: number; cells?: number; branchCopies?: number; depth?: number };
  /** Called once, before the first step, with the puzzle as parsed. */
  onPuzzle?: (info: PuzzleInfo) => void;
  /** Once aborted, no further step is computed or delivered, and the loop throws the signal's
   * reason (an AbortError unless given another), as `fetch` does. */
  signal?: AbortSignal;
}

/** A grid as a person reads it. */
export interface GridView {
  width: number;
  height: number;
  /** Characters per row: Sudoku digits with '.' blank; a maze's '#', ' ', 'S', 'G' and 'o'
   * for the path; ARC colour digits. */
  rows: string[];
  /** Sudoku (0-9, 0 blank) and ARC (colours 0-9): the cells row-major. Absent for mazes. */
  cells?: number[];
}

export type Verdict =
  | { verdict: 'solved' }
  /** Breaks a rule or differs from the known output; `cells` (row-major indices) where known. */
  | { verdict: 'wrong'; reason: string; cells: number[] }
  /** The model's tokens spell no answer of this kind. */
  | { verdict: 'unreadable'; reason: string }
  /** ARC without a known output. */
  | { verdict: 'unknown' };

export interface PuzzleInfo {
  kind: PuzzleKind;
  /** The puzzle as given (Sudoku givens, maze question, ARC test input). */
  puzzle: GridView;
  /** Each copy's augmentation, identity first. */
  augmentations: string[];
  /** The model's puzzle-table row each copy reads (ARC: the task's own rows where the model has them). */
  puzzleIds: number[];
  /** ARC: the known test output, when the task has one. Sudoku: a solution (the backtracking
   * search's first; the only one when `solutions` is 1), null when there is none. */
  expected: GridView | null;
  /** Sudoku: solutions counted up to 2 (2 means several). */
  solutions: number | null;
  /** Maze: the path cells ('o') of a shortest route. */
  shortestPath: number | null;
}

export interface CopyStep {
  /** The augmentation of the copy's current attempt ("identity" for the puzzle as given). */
  augmentation: string;
  /** How many times this copy has started over (see `restartAfter`); 0 on its first attempt. */
  attempt: number;
  answer: GridView | null;
  /** The model's probability for each cell of this copy's answer, row-major. */
  confidence: number[];
  verdict: Verdict;
  qHalt: number;
  haltedAt: number | null;
  /** The step at which this copy's answer passed the check; frozen since. */
  verifiedAt: number | null;
  /** With `latent`: this copy's y and z as colours over its answer's cells. */
  latent: LatentColours | null;
}

/** y (the answer state) and z (the latent) of each cell as RGB, 3 bytes per cell, row-major as
 * the answer: the model's fixed projection of each state on its three leading principal
 * directions (`trm latent-basis`), two standard deviations either side of the mean spanning a
 * channel, so a colour means the same at every step and for every puzzle. */
export interface LatentColours {
  y: number[];
  z: number[];
}

export interface Step {
  /** 1-based supervision step. */
  step: number;
  /** The shown answer: the first verified copy's, else the copies' vote; null when no copy's
   * tokens spell one. */
  answer: GridView | null;
  /** The model's probability for each cell of `answer`, row-major. */
  confidence: number[];
  verdict: Verdict;
  /** True when the verdict is the rules' own (solved, or a single copy), not a vote. */
  verified: boolean;
  /** The copy the answer comes from. */
  chosen: number;
  /** Copies that gave the shown answer. */
  votes: number;
  qHalt: number;
  /** sigmoid(qHalt): the model's belief that its answer is right. */
  haltProbability: number;
  /** The step at which the chosen copy halted (early halting), else null. */
  haltedAt: number | null;
  /** The chosen copy's answers after each H cycle, when asked for. */
  cycles: (GridView | null)[];
  /** With `latent`: the shown answer's y and z as colours (null while no answer). */
  latent: LatentColours | null;
  /** With `latent` and `hCycles`: the same after each H cycle. */
  cycleLatent: LatentColours[];
  /** The vote's two leading answers, best first (ARC is scored on two attempts). */
  ranked: { answer: GridView; votes: number; confidence: number; verdict: Verdict }[];
  copies: CopyStep[];
  /** Network steps spent so far over all copies. */
  networkSteps: number;
  /** True on the solve's last step. */
  done: boolean;
  /** Wall time of this step in milliseconds. */
  ms: number;
  /** Sudoku: `answer.cells` (81 cells, 0 blank), as 0.1 gave it. */
  grid?: number[] | null;
  /** With `hypotheses`: the round (1-based; one run of copies on one set of hypotheses). */
  round?: number;
  /** With `hypotheses`: the step within the round, 1-based (`step` counts the whole search). */
  roundStep?: number;
  /** With `hypotheses`: the digits this round's copies were given as if given. */
  hypotheses?: Hypothesis[];
  /** With `hypotheses`, on a round's last step: what the next round adds and drops. */
  added?: Hypothesis[];
  withdrawn?: Hypothesis[];
}

/** A digit the model wrote, given back to it as if it were a given. */
export interface Hypothesis {
  /** Row-major cell, 0-80. */
  cell: number;
  digit: number;
  /** 1 for the first layer. */
  layer: number;
  /** 'branch': one of the digits tried at the cell the copies doubted most; 'consensus': a
   * digit enough copies agreed on. */
  reason: 'branch' | 'consensus';
  /** The round whose copies wrote this digit at this cell. */
  round: number;
}

export interface Solver {
  /** "CPU (WebAssembly)" or a description of the WebGPU adapter. */
  readonly engine: string;
  readonly isGpu: boolean;
  /** True on a software WebGPU adapter (SwiftShader, lavapipe), where the CPU engine is faster. */
  readonly softwareAdapter: boolean;
  /** Why 'auto' fell back to the CPU, or null. */
  readonly fallbackReason: string | null;
  readonly kind: PuzzleKind;
  readonly config: ModelConfig;
  /** Names of the model's puzzle-table rows (ARC: task x augmentation), or null. */
  readonly puzzleRows: string[] | null;
  /** Whether the model file carries a latent basis (`latent: true` works). */
  readonly hasLatentBasis: boolean;
  /** One puzzle as text (Sudoku, maze, ARC task JSON), 81 Sudoku cells or an ARC task object. */
  solve(puzzle: string | ArrayLike<number | null> | ArcTask, options?: SolveOptions): AsyncGenerator<Step, void, void>;
  /** Several puzzles already in model tokens (docs/MODEL.md) as one batch: for tools and benchmarks. */
  solveBatch(puzzles: ArrayLike<number>[], options?: BatchOptions): AsyncGenerator<BatchStep, void, void>;
  /** True while a solve is under way (until its loop ends). */
  readonly busy: boolean;
  /** Ends the solve under way: no step is delivered after this call, at most the step under
   * way is finished, and the loop ends without an error. A later solve runs as usual. */
  cancel(): void;
  /** Frees the engine (GPU buffers, the wasm module's memory for it; a worker solver's
   * worker) and ends any solve under way; the solver cannot solve again. */
  dispose(): void;
}

/** The solver loadSolver() gives (its class, for `instanceof`); its members are Solver's. */
export declare class TrmSolver {
  private constructor();
}
export interface TrmSolver extends Solver {}

export interface BatchOptions {
  steps?: number;
  earlyHalt?: boolean;
  threshold?: number;
  /** One puzzle-table row per puzzle (default 0). */
  puzzleIds?: number[];
  /** As SolveOptions' signal. */
  signal?: AbortSignal;
}

export interface BatchStep {
  step: number;
  ms: number;
  puzzles: { tokens: number[]; probs: number[]; qHalt: number; haltProbability: number; haltedAt: number | null }[];
}

/** An ARC grid: rows of colours 0-9. */
export type ArcGrid = number[][];
export interface ArcTask {
  train: { input: ArcGrid; output: ArcGrid }[];
  test: { input: ArcGrid; output?: ArcGrid }[];
}
export interface MazeVerdict {
  valid: boolean;
  shortest: boolean;
  length: number;
  shortest_length: number | null;
  /** null exactly when the path is valid and shortest. */
  reason: string | null;
}
export function parseArcTask(json: string): Promise<ArcTask>;
/** A square maze's text (side 3 to 30) checked and given back as a grid (any 'o' path cells made open). */
export function parseMaze(text: string): Promise<GridView>;
/** A new maze with a shortest path longer than minLength (default 110): question and answer
 * (its path in 'o') as `side` lines of text. Side 30 (default): Maze-Hard-like; an odd side
 * from 5 to 29: a corridor maze (for the 'maze11' model: side 11, minLength 11). */
export function generateMaze(seed?: number, minLength?: number, side?: number): Promise<{ question: string; answer: string }>;
/** Checks an answer's path (maze text with 'o') against the question (maze text). */
export function checkMazePath(question: string, answer: string): Promise<MazeVerdict>;
/** One step of a puzzle whose copies ran as shares on several solvers (the `firstCopy` option),
 * as one batch of all the copies would have given it (which copy is shown, the vote, network
 * steps); `done` is false and `ms` absent, for the caller to set. A worker pool calls it. */
export function mergeSteps(parts: Step[]): Promise<Step>;
/** The tokens a model of `kind` reads for a puzzle's text (for solveBatch and other runtimes). */
export function puzzleTokens(kind: PuzzleKind, text: string): Promise<number[]>;
/** The text `solve` reads for a puzzle given as cells or a task object. */
export function puzzleText(puzzle: string | ArrayLike<number | null> | ArcTask): string;
/** SHA-256 of each bundled model, by name (ShippedModel). */
export const SHIPPED_SHA256: Record<string, string>;
export const SHIPPED_MODELS: Record<string, { url: string; sha256: string }>;

export const DEFAULT_MODEL_URL: string;
/** SHA-256 (hex) of the bundled model; the default model is checked against it. */
export const DEFAULT_MODEL_SHA256: string;
export function initWasm(wasm?: string | URL | BufferSource): Promise<unknown>;
export function fetchModel(
  url: string | URL,
  options?: { onProgress?: (p: Progress) => void; cache?: boolean; sha256?: string; maxBytes?: number; signal?: AbortSignal },
): Promise<Uint8Array>;
export function loadSolver(options?: LoadOptions): Promise<Solver>;
/** Removes the model files cached with the Cache API; true if there were any. */
export function clearCache(): Promise<boolean>;
export function parseSudoku(text: string): Promise<number[]>;
export function sudokuClashes(cells: number[]): Promise<number[]>;
export function isSudokuSolution(puzzle: number[], answer: number[]): Promise<boolean>;
export function sudokuSolutionCount(cells: number[], limit?: number): Promise<number>;
export function solveSudoku(cells: number[]): Promise<number[] | null>;
/** Turns an error thrown by the wasm module into this package's typed error. */
export function typed(e: unknown, opts?: { webgpuAsked?: boolean }): TrmError;
