// The package's errors: each failure a caller can act on has its own class, so that
// `instanceof` (or `name`) says what to fix. One module for the main thread's API and the worker
// client alike, so that an error revived from a worker is an instance of the same class.

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
/** The puzzle is malformed; `cells` lists the 0-based indices at fault (empty where none is known). */
export class PuzzleError extends TrmError {
  constructor(message, cells = []) {
    super(message, 'PuzzleError');
    this.cells = Array.from(cells ?? []);
  }
}
/** The model file is unreadable, inconsistent or of the wrong kind, or could not be fetched. */
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

const KINDS = { NoWebGPUError, PuzzleError, ModelError, GpuError, InputError };

/** Whether `e` is the rejection of an aborted operation (an `AbortSignal`'s reason). */
export const isAbort = (e) => e?.name === 'AbortError';

/**
 * Turns an error thrown by the wasm module, or one that crossed from a worker as
 * `{ name, message, cells }`, into this package's typed error.
 */
export function typed(e, { webgpuAsked = false } = {}) {
  if (e instanceof TrmError) return e;
  const name = e?.name;
  const message = e?.message ?? String(e);
  if (name === 'GpuError' && webgpuAsked) return new NoWebGPUError(message);
  if (name === 'PuzzleError') return new PuzzleError(message, e.cells ?? []);
  if (KINDS[name]) return new KINDS[name](message);
  // A trap inside the wasm module (a bug, never user input) leaves its instance unusable.
  if (name === 'RuntimeError') return new TrmError(`the engine failed (${message}); this is a bug in trm-web: load the solver again, and please report it`);
  return new TrmError(message);
}

/** What an error looks like as a message between threads. */
export const plain = (e) => ({ name: e?.name ?? 'TrmError', message: e?.message ?? String(e), cells: e?.cells ?? [] });

/** What an aborted `signal` rejects with: its reason, or the AbortError `fetch` would give. */
export const abortReason = (signal) => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/** Checks an option `signal`: absent, or an AbortSignal (throws its reason when already aborted). */
export function checkSignal(signal) {
  if (signal === undefined) return;
  if (!signal || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new InputError('signal must be an AbortSignal (from new AbortController().signal)');
  }
  if (signal.aborted) throw abortReason(signal);
}
