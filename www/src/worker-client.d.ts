import type { Backend, BatchOptions, BatchStep, ModelConfig, Progress, PuzzleKind, SolveOptions, Step } from './index.js';

export interface WorkerSolver {
  readonly engine: string;
  readonly isGpu: boolean;
  readonly fallbackReason: string | null;
  readonly kind: PuzzleKind;
  readonly config: ModelConfig;
  readonly puzzleRows: string[] | null;
  solve(puzzle: string | number[], options?: SolveOptions): AsyncGenerator<Step, void, void>;
  solveBatch(puzzles: ArrayLike<number>[], options?: BatchOptions): AsyncGenerator<BatchStep, void, void>;
  /** Memory and GPU buffer counts inside the worker (diagnostics). */
  stats(): Promise<{ wasmMemoryBytes: number | null; jsHeapBytes: number | null; gpuBuffersCreated: number; gpuBuffersLive: number }>;
  /** Stops the running solve after its current step. */
  cancel(): void;
  terminate(): void;
  /** Destroys the worker's GPU device, as a driver crash would (for testing recovery). */
  loseDevice(): void;
  readonly worker: Worker;
}

/** loadSolver() in a Web Worker: the page never blocks while the model thinks. */
export function createWorkerSolver(options?: {
  model?: string | URL | ArrayBuffer | Uint8Array;
  backend?: Backend;
  onProgress?: (p: Progress) => void;
  sha256?: string;
  workerUrl?: string | URL;
}): Promise<WorkerSolver>;
