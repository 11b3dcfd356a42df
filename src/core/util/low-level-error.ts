// Failures from inside compiled code - a WebAssembly decoder or encoder (Draco, meshopt, basis) trapping
// on a model's data ("memory access out of bounds", "unreachable", an emscripten abort) - or from running
// out of memory while converting. Their words name no cause the user can act on ("Export failed: memory
// access out of bounds"), so they are told what failed and what still works; the original goes to the log.
import { AppError } from '../../shared/result';

/** What the user is told instead (the export's message; the window adds "Export failed:"). */
export const UNREADABLE_MODEL_MESSAGE =
  "The model file could not be read for conversion: the converter stopped inside the file's data (details are in the log). " +
  'Export it as GLB instead, which copies the file as it is, or download the model again from its job.';

/**
 * Such a failure after it crossed a thread (the export worker): a structured message keeps no error
 * type, so the worker says it was one (see export/worker-protocol.ts) and this stands for it.
 */
export class LowLevelError extends Error {
  override readonly name = 'LowLevelError';
}

const OUT_OF_MEMORY = /out of memory|allocation failed|Maximum memory size exceeded|Cannot enlarge memory/i;

/** A WebAssembly trap or abort (WebAssembly.RuntimeError, of any realm), a memory allocation that failed, or LowLevelError. */
export function isLowLevelError(error: unknown): boolean {
  if (error instanceof LowLevelError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'RuntimeError') return true;
  return error instanceof RangeError && OUT_OF_MEMORY.test(error.message);
}

/** The AppError an export failure becomes: a low-level one in plain words (the original kept as its cause, which the dispatcher logs). */
export function lowLevelExportError(error: unknown): AppError | null {
  return isLowLevelError(error) ? new AppError('io_error', UNREADABLE_MODEL_MESSAGE, { cause: error }) : null;
}
