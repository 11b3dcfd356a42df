// A small typed client for FAL's platform API (https://api.fal.ai/v1): request history, prices,
// billing events, usage and the balance. Answers are zod-validated; 429/5xx and transport errors
// are retried with backoff (Retry-After honoured); every failure is a PlatformError with a kind the
// callers act on. Key destination: the key goes only to api.fal.ai itself, or to the configured
// proxy exactly as the queue calls do (proxy URL + `x-fal-target-url`), never anywhere else.
import type { z } from 'zod';
import { readCapped } from '../util/read-capped';
import { keyGuardFetch } from './key-guard';
import { redactKeys } from './redact';
import { errorFrom, PlatformError } from './platform-errors';
import { parseRetryAfter } from '../queue/backoff';
import {
  AccountSchema,
  BillingPageSchema,
  EstimateSchema,
  PricePageSchema,
  readBillingEvents,
  readPrices,
  readRequestRows,
  RequestPageSchema,
  UsagePageSchema,
  type Account,
  type BillingEvent,
  type UnreadableBillingEvent,
  type UnreadablePrice,
  type Estimate,
  type Price,
  type RequestHistory,
  type Usage,
} from './platform-schemas';

export { PlatformError, type PlatformErrorKind } from './platform-errors';
export type { Account, BillingEvent, UnreadableBillingEvent, UnreadablePrice, Estimate, Price, RequestHistory, RequestRow, UnreadableRequestRow, Usage } from './platform-schemas';

export const PLATFORM_BASE_URL = 'https://api.fal.ai/v1';

/**
 * Largest platform answer read. A page of request history with its payloads (100 rows, each with the
 * input and output FAL stored) is the largest honest one, well under this; an answer that does not end
 * (a broken or hostile proxy) must not be read into memory until the timeout.
 */
export const PLATFORM_ANSWER_MAX_BYTES = 64 * 1024 * 1024;
const TARGET_URL_HEADER = 'x-fal-target-url';

/** The most entries one page of a platform list may hold: FAL's largest page (billing events, limit <= 10,000). */
export const MAX_PAGE_ENTRIES = 10_000;

export interface PlatformClientOptions {
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
  sleep?: (ms: number) => Promise<void>;
  /** Most pages followed by one list call (default 20). */
  maxPages?: number;
}

export interface RequestQuery {
  endpointId: string;
  start?: Date;
  end?: Date;
  requestId?: string;
  status?: 'success' | 'user_error' | 'error';
  payloads?: boolean;
  limit?: number;
  sortBy?: 'ended_at' | 'duration';
}

export interface PlatformClient {
  /** Every page of the request history for one endpoint (up to maxPages); rows that fail their check are listed apart. */
  requests(query: RequestQuery): Promise<RequestHistory>;
  /** The entries that pass their check; each one that does not is left out and handed to `onUnreadable` (one garbled entry does not fail the others). */
  prices(endpointIds: readonly string[], onUnreadable?: (entry: UnreadablePrice) => void): Promise<Price[]>;
  estimate(body: { estimate_type: 'historical_api_price' | 'unit_price'; endpoints: Record<string, { call_quantity?: number; unit_quantity?: number }> }): Promise<Estimate>;
  /**
   * Admin key only. The events that pass their check; each one that does not is left out and handed to
   * `onUnreadable` (one garbled event does not fail the others).
   */
  billingEvents(query: { requestIds?: readonly string[]; start?: Date; end?: Date; onUnreadable?: (event: UnreadableBillingEvent) => void }): Promise<BillingEvent[]>;
  /** Admin key only. */
  usage(query: { start?: Date; end?: Date; expand: ('time_series' | 'summary')[]; endpointIds?: readonly string[] }): Promise<Usage>;
  /** Admin key only. */
  account(): Promise<Account>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createPlatformClient(opts: PlatformClientOptions): PlatformClient {
  // The key guard (key-guard.ts) holds the key destination below this client's own logic too.
  const baseFetch = keyGuardFetch(opts.fetch ?? globalThis.fetch, () => ({ proxyUrl: opts.proxyUrl ?? null, sendKeyToProxy: opts.sendKeyToProxy ?? true }));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const retries = opts.retries ?? 3;
  const baseDelay = opts.baseDelayMs ?? 500;
  const sleep = opts.sleep ?? defaultSleep;
  const maxPages = opts.maxPages ?? 20;
  const keys = (): (string | null)[] => [opts.key, ...(opts.otherKeys?.() ?? [])];
  const redact = (text: string) => redactKeys(text, keys());

  /** One exchange: the URL is always api.fal.ai's, sent there or through the proxy. */
  async function exchange(method: 'GET' | 'POST', path: string, params: URLSearchParams, body?: unknown): Promise<Response> {
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
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : describe(error);
      throw new PlatformError('offline', `FAL's platform API could not be reached (${redact(reason)}).`);
    }
  }

  /** `list`: what is left of a list's byte budget over all its pages (pages()); taken from as each page is read. */
  async function call<T>(schema: z.ZodType<T>, method: 'GET' | 'POST', path: string, params: URLSearchParams, body?: unknown, list?: { bytesLeft: number }): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await exchange(method, path, params, body);
      } catch (error) {
        if (attempt < retries) {
          await sleep(Math.min(10_000, baseDelay * 2 ** attempt));
          continue;
        }
        throw error;
      }
      const text = await answerText(response, path, list);
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
      if (retryable && attempt < retries) {
        await sleep(retryDelay(response.headers.get('retry-after'), Math.min(10_000, baseDelay * 2 ** attempt)));
        continue;
      }
      // Its Retry-After goes with the error: the caller's own next try (the spend sync) waits for it too.
      throw errorFrom(response.status, text, redact, parseRetryAfter(response.headers.get('retry-after'), Date.now(), Number.POSITIVE_INFINITY));
    }
  }

  async function pages<T, P extends { next_cursor?: string | null; has_more?: boolean }>(
    schema: z.ZodType<P>,
    path: string,
    params: URLSearchParams,
    items: (page: P) => T[],
    mustBeComplete = false,
    onCutOff: () => void = () => undefined,
  ): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    // Every page is kept until the list ends: pages that never end hold no more than one answer may.
    const list = { bytesLeft: PLATFORM_ANSWER_MAX_BYTES };
    for (let n = 0; n < maxPages; n++) {
      const query = new URLSearchParams(params);
      if (cursor) query.set('cursor', cursor);
      const page = await call(schema, 'GET', path, query, undefined, list);
      const entries = items(page);
      if (entries.length > MAX_PAGE_ENTRIES) {
        throw new PlatformError('bad_answer', `FAL's platform API sent a page of more than ${MAX_PAGE_ENTRIES} entries (${path}), more than any of its lists holds; it was not read.`);
      }
      for (const entry of entries) out.push(entry);
      cursor = page.next_cursor ?? null;
      if (page.has_more === false) return out;
      if (!cursor) {
        // "More" with no cursor to read it: the list is not complete, whatever the page says.
        if (page.has_more !== true) return out;
        if (mustBeComplete) break;
        onCutOff();
        return out;
      }
    }
    // A cut-off request history proves nothing about what is missing from it (reconciliation
    // would call a received submit "never received" and let it be paid again).
    if (mustBeComplete) throw new PlatformError('bad_answer', `FAL's list ${path} could not be read to the end (more than ${maxPages} pages, or "more" with no cursor).`);
    onCutOff();
    return out;
  }

  const window = (params: URLSearchParams, start?: Date, end?: Date) => {
    if (start) params.set('start', start.toISOString());
    if (end) params.set('end', end.toISOString());
    return params;
  };

  return {
    async requests(q) {
      const params = window(new URLSearchParams({ endpoint_id: q.endpointId, limit: String(q.limit ?? 100) }), q.start, q.end);
      if (q.requestId) params.set('request_id', q.requestId);
      if (q.status) params.set('status', q.status);
      if (q.sortBy) params.set('sort_by', q.sortBy);
      if (q.payloads) params.set('expand', 'payloads');
      return readRequestRows(await pages(RequestPageSchema, '/models/requests/by-endpoint', params, (p) => p.items, true), keys());
    },
    async prices(endpointIds, onUnreadable) {
      const out: Price[] = [];
      for (const batch of chunks([...new Set(endpointIds)], 50)) {
        const params = new URLSearchParams({ endpoint_id: batch.join(',') });
        const { prices, unreadable } = readPrices(await pages(PricePageSchema, '/models/pricing', params, (p) => p.prices), keys());
        for (const entry of unreadable) onUnreadable?.(entry);
        out.push(...prices);
      }
      return out;
    },
    estimate: (body) => call(EstimateSchema, 'POST', '/models/pricing/estimate', new URLSearchParams(), body),
    async billingEvents(q) {
      const ids = [...new Set(q.requestIds ?? [])];
      const base = () => window(new URLSearchParams({ limit: '1000' }), q.start, q.end);
      const read = (items: unknown[]): BillingEvent[] => {
        const { events, unreadable } = readBillingEvents(items, keys());
        for (const event of unreadable) q.onUnreadable?.(event);
        return events;
      };
      // A list cut off (more pages than read, or "more" with no cursor) proves no request was not
      // charged: told as an event of no known request (the spend sync then calls none "not charged").
      const cutOff = () =>
        q.onUnreadable?.({ requestId: null, problem: `the list was cut off (more than ${maxPages} pages, or "more" with no cursor)`, fingerprint: 'list-cut-off' });
      const list = (params: URLSearchParams) => pages(BillingPageSchema, '/models/billing-events', params, (p) => p.billing_events, false, cutOff);
      if (ids.length === 0) return read(await list(base()));
      const out: BillingEvent[] = [];
      for (const batch of chunks(ids, 50)) {
        const params = base();
        params.set('request_id', batch.join(','));
        out.push(...read(await list(params)));
      }
      return out;
    },
    async usage(q) {
      const params = window(new URLSearchParams({ expand: q.expand.join(',') }), q.start, q.end);
      if (q.endpointIds?.length) params.set('endpoint_id', q.endpointIds.join(','));
      return call(UsagePageSchema, 'GET', '/models/usage', params);
    },
    account: () => call(AccountSchema, 'GET', '/account/billing', new URLSearchParams({ expand: 'credits' })),
  };
}

/**
 * The answer's body as text, read up to PLATFORM_ANSWER_MAX_BYTES - or what is left of its list's budget
 * (beyond: a bad answer); '' when it could not be read.
 */
async function answerText(response: Response, path: string, list?: { bytesLeft: number }): Promise<string> {
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
    return '';
  }
  if (list) list.bytesLeft -= read;
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function retryDelay(header: string | null, fallback: number): number {
  if (header === null) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(60_000, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? fallback : Math.min(60_000, Math.max(0, at - Date.now()));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : error.message;
}
