// Options of the fake FAL platform API (api.fal.ai/v1): request history, prices, billing, usage,
// balance. See /work/shared/FAL-PLATFORM.md for what the real one does and what is unconfirmed.

export interface FakePrice {
  unitPrice: number;
  /** FAL's billing unit, e.g. 'generation', 'image', 'gpu_second'. */
  unit?: string;
}

export interface PlatformOptions {
  /** Keys that may read usage, billing events and the balance (FAL's admin keys). Default none. */
  adminKeys?: string[];
  /** Price per endpoint id; endpoints not listed have no price (left out of /models/pricing). */
  prices?: Record<string, FakePrice>;
  /** Units billed per finished request (also sent as `X-Fal-Billable-Units` on results). Default 1. */
  billableUnits?: number | ((endpointId: string, input: unknown) => number);
  /** Send `X-Fal-Billable-Units` on result answers (default true). */
  sendBillableUnits?: boolean;
  /** Percent discount applied to every billing event (0-100). Default 0. */
  percentDiscount?: number;
  /** A request shows in history, billing events and usage only this long after it was received. */
  listingDelayMs?: number;
  /** Store input/output JSON (per request, `X-Fal-Store-IO: 0` turns it off). Default true. */
  storePayloads?: boolean;
  /** List requests that are still queued or running (unconfirmed on FAL). Default true. */
  listPending?: boolean;
  /** Every /v1 call answers this 5xx (the platform API is down). Default false. */
  down?: false | 500 | 502 | 503;
  /**
   * Every /v1 call made with one of these keys answers 429 rate_limited with `Retry-After` of this
   * many seconds (FAL rate-limits that key); other keys are answered as usual. Default none.
   */
  rateLimitedKeys?: Record<string, number>;
  /** Request history answers 403 to every key (the key lacks that permission). Default false. */
  denyRequestHistory?: boolean;
  /**
   * Rows the request history's first page also lists, sent exactly as given (after the real ones),
   * whatever the query: malformed or hostile rows, as a broken or hostile FAL or proxy might send.
   */
  extraHistoryRows?: unknown[];
  /**
   * Billing events listed after the billed ones (for the request ids asked about, or all when none
   * is): refunds, garbled or hostile events, as given.
   */
  extraBillingEvents?: unknown[];
  /** Starting prepaid balance in USD; billed requests are taken from it. Default 50. */
  balanceUsd?: number;
  /** Team name in /account/billing. */
  username?: string;
  /** The balance (/account/billing) answers this much late: a read of FAL's billing records that takes a while. */
  accountDelayMs?: number;
}

/** One row of `GET /v1/models/requests/by-endpoint` as FAL sends it. */
export interface FakeRequestRow {
  request_id: string;
  endpoint_id: string;
  sent_at: string;
  started_at: string | null;
  ended_at: string | null;
  status_code: number | null;
  duration: number | null;
  json_input?: unknown;
  json_output?: unknown;
}

/** One row of `GET /v1/models/billing-events`. */
export interface FakeBillingEvent {
  request_id: string;
  endpoint_id: string;
  timestamp: string;
  output_units: number;
  unit_price: number;
  percent_discount: number | null;
  cost_subtotal: number;
  cost_discount: number;
  cost_total: number;
  cost_estimate_nano_usd: number;
}
