import type { Backend, Progress, ShippedModel, Solver } from './index.js';

/** Counts from inside a worker (diagnostics, endurance runs, tests). */
export interface WorkerStats {
  wasmMemoryBytes: number | null;
  /** Chromium with --enable-precise-memory-info only; null elsewhere. */
  jsHeapBytes: number | null;
  gpuBuffersCreated: number;
  gpuBuffersLive: number;
  /** Supervision steps the worker let its solves start, over all solves. */
  stepsStarted: number;
  /** A pool: each worker's own counts (the fields above are their sums, memory the first's). */
  workers?: WorkerStats[];
}

/** A Solver whose model runs in a Web Worker: the page never blocks while the model thinks. */
export interface WorkerSolver extends Solver {
  /** Runs one of the package's puzzle helpers in the worker (no wasm on the calling thread):
   * parseSudoku, sudokuClashes, isSudokuSolution, sudokuSolutionCount, solveSudoku,
   * parseArcTask, parseMaze, generateMaze, checkMazePath, mergeSteps. */
  call(name: string, ...args: unknown[]): Promise<any>;
  stats(): Promise<WorkerStats>;
  /** Workers behind this solver: more than 1 for a pool, which splits a solve's copies. */
  readonly workers: number;
  /** Ends the worker(s) at once; a solve under way ends without another step. */
  terminate(): void;
  /** Destroys the worker's GPU device, as a driver crash would (for testing recovery). */
  loseDevice(): void;
  readonly worker: Worker;
}

/** loadSolver() in a Web Worker (or a pool of them). Not in Node.js, which has no Web Workers:
 * there loadSolver() runs the CPU engine, and this rejects with a TrmError saying so. */
export function createWorkerSolver(options?: {
  /** As loadSolver's: a URL (relative to the page), bytes, a bundled model's name ('maze11':
   * 11x11 mazes, 'maze15': 15x15) or a model-url import. */
  model?: ShippedModel | string | URL | ArrayBuffer | Uint8Array | { url: string; sha256?: string };
  backend?: Backend;
  onProgress?: (p: Progress) => void;
  /** Keep fetched models in the Cache API (default true). */
  cache?: boolean;
  sha256?: string;
  workerUrl?: string | URL;
  /** Workers in the pool (default 1): each loads the model and runs a share of every solve's
   * copies on its own CPU core. Only where the engine turns out to be the CPU one: on WebGPU
   * the solver keeps one worker, whose GPU runs all the copies as one batch. */
  workers?: number;
  /** Abandons the start (the workers end) when aborted: the promise rejects with its reason. */
  signal?: AbortSignal;
}): Promise<WorkerSolver>;
