import type { Backend, Progress, ShippedModel, Solver } from './index.js';

/** A Solver whose model runs in a Web Worker: the page never blocks while the model thinks. */
export interface WorkerSolver extends Solver {
  /** Runs one of the package's puzzle helpers in the worker (no wasm on the calling thread):
   * parseSudoku, sudokuClashes, isSudokuSolution, sudokuSolutionCount, solveSudoku,
   * parseArcTask, parseMaze, generateMaze, checkMazePath. */
  call(name: string, ...args: unknown[]): Promise<any>;
  /** Memory and GPU buffer counts inside the worker (diagnostics). */
  stats(): Promise<{ wasmMemoryBytes: number | null; jsHeapBytes: number | null; gpuBuffersCreated: number; gpuBuffersLive: number }>;
  /** Workers behind this solver: more than 1 for a pool, which splits a solve's copies. */
  readonly workers: number;
  /** True while a worker still runs a solve. */
  readonly busy: boolean;
  /** Stops the running solve after its current step. */
  cancel(): void;
  terminate(): void;
  /** Destroys the worker's GPU device, as a driver crash would (for testing recovery). */
  loseDevice(): void;
  readonly worker: Worker;
}

/** loadSolver() in a Web Worker. */
export function createWorkerSolver(options?: {
  /** As loadSolver's: a URL, bytes, a bundled model's name ('maze11': 11x11 mazes) or a model-url import. */
  model?: ShippedModel | string | URL | ArrayBuffer | Uint8Array | { url: string; sha256?: string };
  backend?: Backend;
  onProgress?: (p: Progress) => void;
  sha256?: string;
  workerUrl?: string | URL;
  /** Workers in the pool (default 1): each loads the model and runs a share of every solve's
   * copies on its own CPU core; keep 1 on WebGPU. */
  workers?: number;
}): Promise<WorkerSolver>;
