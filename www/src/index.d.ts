// Types of trm-web's public API (src/index.js).

export class TrmError extends Error {
  constructor(message: string, name?: string);
}
/** WebGPU was asked for and is missing or failed. */
export class NoWebGPUError extends TrmError {}
/** The puzzle is malformed; `cells` lists the 0-based indices of the cells at fault. */
export class PuzzleError extends TrmError {
  cells: number[];
}
/** The model file is unreadable, inconsistent or of the wrong kind. */
export class ModelError extends TrmError {}
/** The GPU failed while running. */
export class GpuError extends TrmError {}
/** Bad options or input tokens. */
export class InputError extends TrmError {}

export type Backend = 'auto' | 'webgpu' | 'cpu';
export type PuzzleKind = 'sudoku' | 'arc' | 'maze';

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
  pos_encodings: 'rope' | 'learned' | 'none';
  mlp_t: boolean;
  puzzle_emb_ndim: number;
  puzzle_emb_len: number;
  num_puzzle_identifiers: number;
  rms_norm_eps: number;
  rope_theta: number;
}

export interface LoadOptions {
  /** URL of a model file, its bytes, or 'sudoku' | 'arc' | 'maze' for a bundled model
   * (default: the bundled Sudoku model). */
  model?: string | URL | Uint8Array | ArrayBuffer;
  backend?: Backend;
  onProgress?: (p: Progress) => void;
  /** Keep fetched models in the Cache API (default true). */
  cache?: boolean;
  /** Expected SHA-256 of the model file, hex. */
  sha256?: string;
  /** Where the wasm module comes from: URL of trm_bg.wasm, or its bytes. */
  wasm?: string | URL | BufferSource;
}

export interface SolveOptions {
  /** Supervision steps (default: the model's halt_max_steps, 16). */
  steps?: number;
  /** Stop once sigmoid(q_halt) passes `threshold`. */
  earlyHalt?: boolean;
  threshold?: number;
  /** Also return the answer after every H cycle. */
  hCycles?: boolean;
  /** Row of the model's puzzle table (ARC); 0 for Sudoku. */
  puzzleId?: number;
}

export interface Step {
  /** 1-based supervision step. */
  step: number;
  /** Predicted token per cell. */
  tokens: number[];
  /** Softmax probability of each predicted token. */
  probs: number[];
  qHalt: number;
  /** sigmoid(qHalt): the model's belief that its answer is right. */
  haltProbability: number;
  /** The step at which the puzzle halted (early halting), else null. */
  haltedAt: number | null;
  /** Tokens after each H cycle, when asked for. */
  cycles: number[][];
  /** Wall time of this step in milliseconds. */
  ms: number;
  /** Sudoku: 81 cells, 0 = blank. */
  grid?: number[];
  cycleGrids?: number[][];
}

export interface Solver {
  /** "CPU (WebAssembly)" or a description of the WebGPU adapter. */
  readonly engine: string;
  readonly isGpu: boolean;
  /** Why 'auto' fell back to the CPU, or null. */
  readonly fallbackReason: string | null;
  readonly kind: PuzzleKind;
  readonly config: ModelConfig;
  /** Names of the model's puzzle-table rows (ARC: task x augmentation), or null. */
  readonly puzzleRows: string[] | null;
  /** A Sudoku as text (81 characters, '.' or '0' blank) or 81 cells; other kinds as tokens. */
  solve(puzzle: string | number[], options?: SolveOptions): AsyncGenerator<Step, void, void>;
  /** Several puzzles (token arrays) as one batch. */
  solveBatch(puzzles: ArrayLike<number>[], options?: BatchOptions): AsyncGenerator<BatchStep, void, void>;
}

export interface BatchOptions {
  steps?: number;
  earlyHalt?: boolean;
  threshold?: number;
  /** One puzzle-table row per puzzle (default 0). */
  puzzleIds?: number[];
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
export interface ArcCopy {
  /** The reference's name of the task under this augmentation. */
  name: string;
  dihedral: string;
  /** colours[c] is the colour c becomes. */
  colours: number[];
  puzzleId: number;
  tokens: number[];
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
export function arcPlan(grid: ArcGrid, options?: { task?: string; augmentations?: number; puzzleRows?: string[] | null }): Promise<ArcCopy[]>;
export function arcAnswer(tokens: ArrayLike<number>, name: string): Promise<ArcGrid | null>;
export function arcVote(candidates: { grid: ArcGrid | null; confidence: number }[]): Promise<{ grid: ArcGrid; count: number; confidence: number }[]>;
export function parseMaze(text: string): Promise<number[]>;
export function generateMaze(seed?: number, minLength?: number): Promise<{ question: number[]; answer: number[] }>;
export function checkMazePath(question: ArrayLike<number>, answer: ArrayLike<number>): Promise<MazeVerdict>;
/** Maze token -> character ('' for PAD). */
export const MAZE_CHARS: string[];
/** SHA-256 of each bundled model, by kind. */
export const SHIPPED_SHA256: Record<string, string>;
export const SHIPPED_MODELS: Record<string, { url: string; sha256: string }>;

export const DEFAULT_MODEL_URL: string;
/** SHA-256 (hex) of the bundled model; the default model is checked against it. */
export const DEFAULT_MODEL_SHA256: string;
export function initWasm(wasm?: string | URL | BufferSource): Promise<unknown>;
export function fetchModel(
  url: string | URL,
  options?: { onProgress?: (p: Progress) => void; cache?: boolean; sha256?: string; maxBytes?: number },
): Promise<Uint8Array>;
export function loadSolver(options?: LoadOptions): Promise<Solver>;
export function parseSudoku(text: string): Promise<number[]>;
export function sudokuClashes(cells: number[]): Promise<number[]>;
export function isSudokuSolution(puzzle: number[], answer: number[]): Promise<boolean>;
export function sudokuSolutionCount(cells: number[], limit?: number): Promise<number>;
export function solveSudoku(cells: number[]): Promise<number[] | null>;
export function sudokuCells(tokens: ArrayLike<number>): number[];
export function typed(e: unknown, opts?: { webgpuAsked?: boolean }): TrmError;
export type TrmSolver = Solver;
