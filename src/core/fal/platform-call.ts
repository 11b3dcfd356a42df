// One call to FAL's platform API (https://api.fal.ai/v1), the part every endpoint shares: the key
// goes only to api.fal.ai itself or to the configured proxy exactly as the queue calls do (proxy URL
// + `x-fal-target-url`), never anywhere else (key-guard.ts holds this below too); 429/5xx and
// transport errors are retried with back-off (Retry-After honoured) while the waits fit a short budget -
// a Retry-After beyond it ends the call at once with that wait, for its caller to keep to (a price
// refresh the user pressed waited 3 x 60 s); the answer is read within a byte cap and zod-checked;
// every failure is a PlatformError with a kind the callers act on.
import type { z } from 'zod';
import { readCapped } from '../util/read-capped';
import { keyGuardFetch } from './key-guard';
import { redactKeys } from './redact';
import { errorFrom, PlatformError } from './platform-errors';
import { parseRetryAfter } from '../queue/backoff';

export const PLATFORM_BASE_URL = 'https://api.fal.ai/v1';

/**
 * Longest a call waits in all between its tries (back-off and Retry-After). A price refresh or a billing
 * key test is waited for by the user: a wait FAL asks for beyond this is the caller's to keep (the
 * error's retryAfterMs), not slept through here.
 */
export const PLATFORM_WAIT_BUDGET_MS = 15_000;

/**
 * Longest a call takes in all: its tries and the waits between them. A server that takes each
 * connection and never answers held a call 4 x 20 s plus back-off (~81 s) before the user was told.
 */
export const PLATFORM_CALL_DEADLINE_MS = 30_000;

/** A try with less time than this left before the deadline is not started. */
const MIN_TRY_MS = 1_000;

/**
 * Largest platform answer read. A page of request history with its payloads (100 rows, each with the
 * input and output FAL stored) is the largest honest one, well under this; an answer that does not end
 * (a broken or hostile proxy) must not be read into memory until the timeout.
 */
export const PLATFORM_ANSWER_MAX_BYTES = 64 * 1024 * 1024;
const TARGET_URL_HEADER = 'x-fal-target-url';

export interface PlatformCallOptions {
  key: string;
  /**
   * The app's other FAL keys (the ordinary key for a billing client, the billing key for an ordinary
   * one): FAL's answers naming one are redacted or refused as for `key` (a proxy may hold both).
   */
  otherKeys?: () => readonly (string | null)[];
  /** The same proxy the queue calls use (null: straight to api.fal.ai). */
  proxyUrl?: string | null;
  /** Whether the key may go to `proxyUrl` (default true, as createFal; the app narrows it with its own guard). */
  sendKeyToProxy?: boolean;
  fetch?: typeof fetch;
  /** Bound for one HTTP exchange (default 20 s). */
  timeoutMs?: number;
  /** Retries after the first try on 429/5xx/transport errors (default 3). */
  retries?: number;
  /** First backoff delay (default 500 ms, doubling, capped at 10 s). */
  baseDelayMs?: number;
  /** Longest wait in all between a call's tries (default PLATFORM_WAIT_BUDGET_MS). */
  waitBudgetMs?: number;
  /** Longest a call takes in all, tries and waits (default PLATFORM_CALL_DEADLINE_MS). */
  deadlineMs?: number;
  /** Shorter tries than this are not started near the deadline (default 1 s). */
  minTryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What is left of a list's byte budget over all its pages (platform-pages.ts); taken from as each page is read. */
export interface ListBudget {
  bytesLeft: number;
}

export type PlatformCall = <T>(schema: z.ZodType<T>, method: 'GET' | 'POST', path: string, params: URLSearchParams, body?: unknown, list?: ListBudget) => Promise<T>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `keys`: the key and the app's other keys, for checking FAL's answers for them. `serverDate`: FAL's
 * clock at its latest answer (its Date header, epoch ms; null before one or without a readable one).
 */
export function createPlatformCall(opts: PlatformCallOptions): { call: PlatformCall; keys: () => (string | null)[]; serverDate: () => number | null } {
  const baseFetch = keyGuardFetch(opts.fetch ?? globalThis.fetch, () => ({ proxyUrl: opts.proxyUrl ?? null, sendKeyToProxy: opts.sendKeyToProxy ?? true }));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const retries = opts.retries ?? 3;
  const baseDelay = opts.baseDelayMs ?? 500;
  const waitBudget = opts.waitBudgetMs ?? PLATFORM_WAIT_BUDGET_MS;
  const deadlineMs = opts.deadlineMs ?? PLATFORM_CALL_DEADLINE_MS;
  const minTryMs = opts.minTryMs ?? MIN_TRY_MS;
  const sleep = opts.sleep ?? defaultSleep;
  const keys = (): (string | null)[] => [opts.key, ...(opts.otherKeys?.() ?? [])];
  const redact = (text: string) => redactKeys(text, keys());
  let serverDate: number | null = null;

  /** One exchange: the URL is always api.fal.ai's, sent there or through the proxy. */
  async function exchange(method: 'GET' | 'POST', path: string, params: URLSearchParams, body: unknown, limitMs: number, signal: AbortSignal): Promise<Response> {
    const target = `${PLATFORM_BASE_URL}${path}${params.size > 0 ? `?${params}` : ''}`;
    const headers: Record<string, string> = { authorization: `Key ${opts.key}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.proxyUrl) headers[TARGET_URL_HEADER] = target;
    try {
      return await baseFetch(opts.proxyUrl ?? target, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal,
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${seconds(limitMs)} s` : describe(error);
      throw new PlatformError('offline', `FAL's platform API could not be reached (${redact(reason)}).`);
    }
  }

  /**
   * The answer's text (answerText); a successful answer whose body did not come whole - cut off, or not
   * finished within the try's time (a proxy that sends the head and then drips or stalls) - is an
   * 'offline' try, never a short text read as FAL's answer. A failed answer's body is only its detail.
   */
  async function answerText(response: Response, path: string, list: ListBudget | undefined, limitMs: number, signal: AbortSignal): Promise<string> {
    const text = await readAnswer(response, path, list);
    if (text !== null) return text;
    if (!response.ok) return '';
    const reason = signal.aborted ? `its answer did not finish within ${seconds(limitMs)} s` : 'its answer was cut off';
    throw new PlatformError('offline', `FAL's platform API could not be reached (${reason}).`);
  }

  async function call<T>(schema: z.ZodType<T>, method: 'GET' | 'POST', path: string, params: URLSearchParams, body?: unknown, list?: ListBudget): Promise<T> {
    let waited = 0;
    // On the monotonic clock: the wall clock set back an hour mid-call (NTP, the user) gave it every try again.
    const deadline = performance.now() + deadlineMs;
    /** Waits `ms` before the next try if it fits the budget and leaves a try's time before the deadline; false when the call should stop instead. */
    const waitToRetry = async (ms: number): Promise<boolean> => {
      if (waited + ms > waitBudget || performance.now() + ms + minTryMs > deadline) return false;
      waited += ms;
      await sleep(ms);
      return true;
    };
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.min(10_000, baseDelay * 2 ** attempt);
      let response: Response;
      let text: string;
      try {
        const limitMs = Math.ceil(Math.min(timeoutMs, Math.max(minTryMs, deadline - performance.now()))); // AbortSignal.timeout takes whole ms
        const signal = AbortSignal.timeout(limitMs);
        response = await exchange(method, path, params, body, limitMs, signal);
        const date = Date.parse(response.headers.get('date') ?? '');
        if (Number.isFinite(date)) serverDate = date;
        // The body is part of the try: its time limit and the deadline cover it, and one cut off or
        // not finished in time is tried again like no answer (it was read as "not JSON" before).
        text = await answerText(response, path, list, limitMs, signal);
      } catch (error) {
        // An answer too large is not asked for again; every other failure here is an 'offline' try.
        if (error instanceof PlatformError && error.kind !== 'offline') throw error;
        if (attempt < retries && (await waitToRetry(backoff))) continue;
        // Tried more than once: the message says for how long in all, not one try's bound.
        if (attempt > 0 && error instanceof PlatformError && error.kind === 'offline') {
          throw new PlatformError('offline', `${error.message.replace(/\.$/, '')}, ${attempt + 1} tries over ${seconds(performance.now() - deadline + deadlineMs)} s.`);
        }
        throw error;
      }
      if (response.ok) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new PlatformError('bad_answer', `FAL's platform API sent an answer that is not JSON (${path}).`, response.status);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) throw new PlatformError('bad_answer', `FAL's platform API sent an answer in an unexpected shape (${path}).`, response.status);
        return parsed.data;
      }
      const retryable = response.status === 429 || response.status >= 500;
      // Unbounded here: a wait beyond the budget is not cut to fit it, it ends the call (no asking again early).
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now(), Number.POSITIVE_INFINITY);
      if (retryable && attempt < retries && (await waitToRetry(retryAfterMs ?? backoff))) continue;
      // Its Retry-After goes with the error: the caller's own next try (the spend sync, a price refresh) waits for it too.
      throw errorFrom(response.status, text, redact, retryAfterMs);
    }
  }

  return { call, keys, serverDate: () => serverDate };
}

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

/**
 * The answer's body as text, read up to PLATFORM_ANSWER_MAX_BYTES - or what is left of its list's budget
 * (beyond: a bad answer); null when it could not be read to its end.
 */
async function readAnswer(response: Response, path: string, list?: ListBudget): Promise<string | null> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  const mib = PLATFORM_ANSWER_MAX_BYTES / 1024 / 1024;
  const cap = Math.min(PLATFORM_ANSWER_MAX_BYTES, list?.bytesLeft ?? PLATFORM_ANSWER_MAX_BYTES);
  const tooLarge = () =>
    new PlatformError(
      'bad_answer',
      cap < PLATFORM_ANSWER_MAX_BYTES
        ? `FAL's platform API sent a list larger than ${mib} MiB over its pages (${path}); it was not read to the end.`
        : `FAL's platform API sent an answer larger than ${mib} MiB (${path}); it was not read.`,
      response.status,
    );
  let read = 0;
  try {
    await readCapped(response.body, cap, (chunk) => {
      chunks.push(chunk);
      read += chunk.byteLength;
    }, tooLarge);
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    return null;
  }
  if (list) list.bytesLeft -= read;
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : error.message;
}
