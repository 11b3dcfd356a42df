// Follows one FAL request until COMPLETED: the status stream (Server-Sent Events) first, because it
// reports completion at once; a quiet stream is checked with one status call and reopened; a
// failing stream falls back to polling with short intervals. Bounded by an overall deadline and
// interruptible by the job's signal. Errors from status calls are thrown for the job policy.
import type { FalClient } from '@fal-ai/client';

export interface FalStatus {
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | string;
  queue_position?: number;
  logs?: { message?: unknown; timestamp?: unknown }[] | null;
  [key: string]: unknown;
}

export interface FollowOptions {
  fal: FalClient;
  endpoint: string;
  requestId: string;
  signal: AbortSignal;
  /** Epoch ms (by `now`) after which following gives up with FollowTimeoutError. */
  deadline: number;
  now: () => number;
  /** Delay between status polls once the stream failed. */
  pollIntervalMs: number;
  /** A stream silent this long is checked with one status call and reopened. */
  streamIdleMs: number;
  /** Use the stream at all (tests and environments without SSE may turn it off). */
  stream?: boolean;
  onStatus: (status: FalStatus) => void;
  /** Told once when the stream fails and polling takes over. */
  onStreamFailed?: (error: unknown) => void;
}

export class FollowTimeoutError extends Error {
  override readonly name = 'FollowTimeoutError';
  constructor() {
    super('FAL did not finish the job in time');
  }
}

/** After this many failed stream openings the rest of the follow polls. */
const MAX_STREAM_FAILURES = 1;

export async function followUntilCompleted(opts: FollowOptions): Promise<FalStatus> {
  let streamFailures = opts.stream === false ? MAX_STREAM_FAILURES : 0;
  if (opts.now() >= opts.deadline) {
    // Resumed after the deadline (e.g. the app was closed for a day): a finished, paid result is
    // still collected; only a request that is still pending is given up.
    const status = await pollOnce(opts);
    if (status.status === 'COMPLETED') return status;
    throw new FollowTimeoutError();
  }
  for (;;) {
    throwIfAborted(opts.signal);
    if (opts.now() >= opts.deadline) throw new FollowTimeoutError();
    if (streamFailures < MAX_STREAM_FAILURES) {
      let outcome: StreamOutcome;
      try {
        outcome = await streamOnce(opts);
      } catch (error) {
        throwIfAborted(opts.signal);
        if (error instanceof FollowTimeoutError) throw error;
        streamFailures++;
        opts.onStreamFailed?.(error);
        continue;
      }
      if (outcome.kind === 'completed') return outcome.status;
      // Quiet or closed early: one status call tells whether we missed the end.
      const status = await pollOnce(opts);
      if (status.status === 'COMPLETED') return status;
      continue;
    }
    const status = await pollOnce(opts);
    if (status.status === 'COMPLETED') return status;
    await sleep(Math.max(0, Math.min(opts.pollIntervalMs, opts.deadline - opts.now())), opts.signal);
  }
}

async function pollOnce(opts: FollowOptions): Promise<FalStatus> {
  const status = (await opts.fal.queue.status(opts.endpoint, {
    requestId: opts.requestId,
    logs: true,
    abortSignal: opts.signal,
  })) as unknown as FalStatus;
  opts.onStatus(status);
  return status;
}

type StreamOutcome = { kind: 'completed'; status: FalStatus } | { kind: 'quiet' } | { kind: 'ended' };

async function streamOnce(opts: FollowOptions): Promise<StreamOutcome> {
  const stream = await opts.fal.queue.streamStatus(opts.endpoint, { requestId: opts.requestId, logs: true });
  return new Promise<StreamOutcome>((resolve, reject) => {
    let settled = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const deadlineTimer = setTimeout(() => finish(() => reject(new FollowTimeoutError())), Math.max(0, opts.deadline - opts.now()));
    const onAbort = () => finish(() => reject(abortError(opts.signal)));
    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => finish(() => resolve({ kind: 'quiet' })), opts.streamIdleMs);
    };
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      if (idle) clearTimeout(idle);
      clearTimeout(deadlineTimer);
      opts.signal.removeEventListener('abort', onAbort);
      stream.abort();
      settle();
    };
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    armIdle();
    stream.on('data', (data: unknown) => {
      if (settled || !isStatus(data)) return;
      armIdle();
      try {
        opts.onStatus(data);
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (data.status === 'COMPLETED') finish(() => resolve({ kind: 'completed', status: data }));
    });
    stream.done().then(
      (last: unknown) => finish(() => resolve(isStatus(last) && last.status === 'COMPLETED' ? { kind: 'completed', status: last } : { kind: 'ended' })),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

function isStatus(value: unknown): value is FalStatus {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'string';
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('Interrupted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
