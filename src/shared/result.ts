// The one result shape every channel returns, in both transports.
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'forbidden_sender',
  'not_found',
  'conflict',
  'confirmation_required',
  'no_key',
  'key_rejected',
  'unreachable',
  'unsupported',
  'io_error',
  /** The app is stopping: the call was not carried out. */
  'closing',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const AppErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AppErrorShape = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };

/** Thrown by services for errors the user should read; anything else becomes 'internal'. */
export class AppError extends Error {
  /** `cause`: what failed underneath, for the log (the user is told `message`). */
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });
