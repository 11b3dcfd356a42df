// A small typed client for FAL's platform API (https://api.fal.ai/v1): request history, prices,
// billing events, usage and the balance. One call - the key's destination, retries, the answer's
// byte cap and check - is platform-call.ts; reading a list page by page is platform-pages.ts.
import { createPlatformCall, type PlatformCallOptions } from './platform-call';
import { PlatformError } from './platform-errors';
import { createPageReader } from './platform-pages';
import { keyFingerprint } from '../keys/fingerprint';
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
export { PLATFORM_ANSWER_MAX_BYTES, PLATFORM_BASE_URL } from './platform-call';
export { MAX_PAGE_ENTRIES } from './platform-pages';
export type { Account, BillingEvent, UnreadableBillingEvent, UnreadablePrice, Estimate, Price, RequestHistory, RequestRow, UnreadableRequestRow, Usage } from './platform-schemas';

/**
 * A billing-events list that could not be read to its end (cut off, beyond the list's byte budget, an
 * error on a later page): the failure, with the events read before it (checked, as billingEvents gives
 * them). Those charges are real and count; the read still failed (it is asked again later, and no
 * request missing from it was proven not charged).
 */
export class BillingEventsCutShort extends PlatformError {
  constructor(
    readonly events: BillingEvent[],
    failure: PlatformError,
  ) {
    super(failure.kind, failure.message, failure.status, failure.type, failure.retryAfterMs);
  }
}

export interface PlatformClientOptions extends PlatformCallOptions {
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
  /** Which key the calls are made with (keys/fingerprint.ts), never the key: a wait FAL asked of one key is not another's. */
  readonly keyFingerprint: string;
  /** Every page of the request history for one endpoint (up to maxPages); rows that fail their check are listed apart. */
  requests(query: RequestQuery): Promise<RequestHistory>;
  /** The entries that pass their check; each one that does not is left out and handed to `onUnreadable` (one garbled entry does not fail the others). */
  prices(endpointIds: readonly string[], onUnreadable?: (entry: UnreadablePrice) => void): Promise<Price[]>;
  estimate(body: { estimate_type: 'historical_api_price' | 'unit_price'; endpoints: Record<string, { call_quantity?: number; unit_quantity?: number }> }): Promise<Estimate>;
  /**
   * Admin key only. The events that pass their check; each one that does not is left out and handed to
   * `onUnreadable` (one garbled event does not fail the others). A list that fails before its end throws
   * BillingEventsCutShort, carrying the events read until then (no further batch of ids is asked).
   */
  billingEvents(query: { requestIds?: readonly string[]; start?: Date; end?: Date; onUnreadable?: (event: UnreadableBillingEvent) => void }): Promise<BillingEvent[]>;
  /** Admin key only. */
  usage(query: { start?: Date; end?: Date; expand: ('time_series' | 'summary')[]; endpointIds?: readonly string[] }): Promise<Usage>;
  /** Admin key only. */
  account(): Promise<Account>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createPlatformClient(opts: PlatformClientOptions): PlatformClient {
  const maxPages = opts.maxPages ?? 20;
  const { call, keys, serverDate } = createPlatformCall(opts);
  const { pages, soFar } = createPageReader(call, maxPages);

  const window = (params: URLSearchParams, start?: Date, end?: Date) => {
    if (start) params.set('start', start.toISOString());
    if (end) params.set('end', end.toISOString());
    return params;
  };

  return {
    keyFingerprint: keyFingerprint(opts.key),
    async requests(q) {
      const params = window(new URLSearchParams({ endpoint_id: q.endpointId, limit: String(q.limit ?? 100) }), q.start, q.end);
      if (q.requestId) params.set('request_id', q.requestId);
      if (q.status) params.set('status', q.status);
      if (q.sortBy) params.set('sort_by', q.sortBy);
      if (q.payloads) params.set('expand', 'payloads');
      const items = await pages(RequestPageSchema, '/models/requests/by-endpoint', params, (p) => p.items, true);
      return { ...readRequestRows(items, keys()), serverDate: serverDate() };
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
      const out: BillingEvent[] = [];
      for (const batch of ids.length === 0 ? [[]] : chunks(ids, 50)) {
        const params = window(new URLSearchParams({ limit: '1000' }), q.start, q.end);
        if (batch.length > 0) params.set('request_id', batch.join(','));
        const { entries, failure } = await soFar(BillingPageSchema, '/models/billing-events', params, (p) => p.billing_events);
        const { events, unreadable } = readBillingEvents(entries, keys());
        for (const event of unreadable) q.onUnreadable?.(event);
        // One by one: a list of 200,000 events spread into push overflows the stack.
        for (const event of events) out.push(event);
        // Stopped at the first list that failed: the next batches wait for the next try (a 429 is not
        // answered with more asks, nor a huge list with nine more).
        if (failure) throw new BillingEventsCutShort(out, failure);
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
