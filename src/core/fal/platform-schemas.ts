// The shapes of FAL's platform API answers (request history, prices, estimates, billing events,
// usage, account), as zod schemas: every answer is checked against one before it is used.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { namesKey, redactKeys } from './redact';
import { isFalRequestId, refusedRequestId } from './request-id';

const Iso = z.string().min(1);
const Money = z.number();

export const RequestRowSchema = z.looseObject({
  // Adopted by the reconciler and then followed: a row whose id no request can have is unreadable
  // (never adopted), and never "no record" either - that row may be the very submit looked for.
  request_id: z.string().refine(isFalRequestId, 'not a FAL request id'),
  endpoint_id: z.string(),
  sent_at: Iso.nullish(),
  started_at: Iso.nullish(),
  ended_at: Iso.nullish(),
  status_code: z.number().int().nullish(),
  duration: z.number().nullish(),
  // The input FAL stored, compared field by field with what was sent (reconcile/match.ts): an object,
  // or null when payload storage is off. Anything else (the JSON as text, a number, a list) cannot be
  // compared - such a row is unreadable, never "not ours" (it may be the very submit looked for).
  json_input: z.record(z.string(), z.unknown()).nullable().optional(),
  json_output: z.unknown().optional(),
});
export type RequestRow = z.infer<typeof RequestRowSchema>;

const Cursor = { next_cursor: z.string().nullish(), has_more: z.boolean().optional() };
/** A page of request history; its rows are checked one by one (readRequestRows): one bad row hides no other. */
export const RequestPageSchema = z.looseObject({ items: z.array(z.unknown()), ...Cursor });

/** A history row that failed RequestRowSchema: left out, and proof of nothing. */
export interface UnreadableRequestRow {
  /** Its request id, when that one is a usable id; null otherwise. */
  requestId: string | null;
  /** What failed, in the app's words (field names and kinds of problem, never the row's own text). */
  problem: string;
  /** The start of the row's sha256, to tell one row from another (log each once). */
  fingerprint: string;
}

/** The request history as read: the rows that passed their check, and those that did not. */
export interface RequestHistory {
  rows: RequestRow[];
  unreadable: UnreadableRequestRow[];
  /** FAL's clock when it answered (its Date header, epoch ms), where known: this computer's may be off. */
  serverDate?: number | null;
}

/**
 * `keys`: the FAL keys the app holds (the ordinary key and the billing key). A row whose request id
 * names one (or a piece of one: refusedRequestId) is unreadable too - adopted, the key would be stored
 * as the job's request id and put into status URLs - and so is a row naming one anywhere else.
 */
export function readRequestRows(items: readonly unknown[], keys: readonly (string | null | undefined)[]): RequestHistory {
  const { rows, unreadable } = readRows(RequestRowSchema, items, keys);
  return { rows, unreadable };
}

/**
 * Each item checked on its own against `schema`: the ones that pass, and a description of the others.
 * A row that names one of `keys` (its request id, or any other field: a billing event's model is
 * stored) is one of the others too. An unreadable row's request id is given only when it is a usable
 * one (refusedRequestId): never a key.
 */
function readRows<T extends { request_id: string }>(schema: z.ZodType<T>, items: readonly unknown[], keys: readonly (string | null | undefined)[]): { rows: T[]; unreadable: UnreadableRequestRow[] } {
  const usable = (id: unknown): id is string => refusedRequestId(id, (text) => redactKeys(text, keys)) === null;
  const out: { rows: T[]; unreadable: UnreadableRequestRow[] } = { rows: [], unreadable: [] };
  for (const item of items) {
    if (nestedTooDeeply(item)) {
      const id = (item as { request_id?: unknown }).request_id;
      out.unreadable.push({ requestId: usable(id) ? id : null, problem: TOO_DEEP, fingerprint: fingerprintOf(usable(id) ? { deep: id } : 'deep') });
      continue;
    }
    const parsed = schema.safeParse(item);
    const idNamesKey = parsed.success && !usable(parsed.data.request_id);
    if (parsed.success && !idNamesKey && !namesKey(JSON.stringify(item) ?? '', keys)) {
      out.rows.push(parsed.data);
      continue;
    }
    const id = (item as { request_id?: unknown } | null)?.request_id;
    out.unreadable.push({
      requestId: usable(id) ? id : null,
      problem: !parsed.success ? problemOf(parsed.error) : idNamesKey ? 'request_id: names the FAL key' : 'a field names the FAL key',
      fingerprint: fingerprintOf(item),
    });
  }
  return out;
}

/**
 * How deep a list entry may nest (FAL's rows and their stored inputs and outputs are a few levels). A
 * deeper one (a broken or hostile answer: 300,000 levels) is unreadable: turning it into text for the
 * key check, or walking it, overflowed the stack and failed the whole list.
 */
export const MAX_ENTRY_DEPTH = 64;
const TOO_DEEP = `row: nested deeper than ${MAX_ENTRY_DEPTH} levels`;

/** Whether `value` nests deeper than MAX_ENTRY_DEPTH; walked without recursion. */
function nestedTooDeeply(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= MAX_ENTRY_DEPTH) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** Field names and kinds of problem, never the item's own text. */
const problemOf = (error: z.ZodError) =>
  [...new Set(error.issues.map((issue) => `${issue.path.map(String).join('.') || 'row'}: ${issue.code === 'custom' ? issue.message : issue.code}`))].join(', ');
/** The start of the item's sha256, to tell one from another (log each once). */
const fingerprintOf = (item: unknown) => createHash('sha256').update(JSON.stringify(item) ?? 'undefined').digest('hex').slice(0, 12);

/**
 * The longest endpoint id kept from a price list or a billing event (the catalog's are under 50
 * characters; the window takes 200): a price is stored in the price cache, a billing event's model in
 * the database. Longer is a broken or hostile answer: that entry or event is unreadable.
 */
export const MAX_ENDPOINT_ID_CHARS = 200;
const EndpointId = z.string().max(MAX_ENDPOINT_ID_CHARS);

/**
 * The longest billing unit kept ("image", "compute seconds", "1M tokens" are a few words): it is stored
 * in the price cache, sent to the window and printed. Longer is a broken or hostile list.
 */
export const MAX_PRICE_UNIT_CHARS = 100;

export const PriceSchema = z.looseObject({
  endpoint_id: EndpointId,
  // No price is below nothing (the price cache refuses one: every process would lose all the prices).
  unit_price: Money.min(0),
  // Longer is unreadable like any garbled entry: its model keeps the price (and unit) it had.
  unit: z.string().max(MAX_PRICE_UNIT_CHARS).default('request'),
  currency: z.string().default('USD'),
});
export type Price = z.infer<typeof PriceSchema>;
/** A page of prices; its entries are checked one by one (readPrices): one bad entry hides no other. */
export const PricePageSchema = z.looseObject({ prices: z.array(z.unknown()), ...Cursor });

/** A price-list entry that failed PriceSchema: left out; its model keeps the price it had. */
export interface UnreadablePrice {
  /** Its endpoint id, when that one is text; null otherwise (then it may be any model's). */
  endpointId: string | null;
  /** What failed, in the app's words (never the entry's own text). */
  problem: string;
  fingerprint: string;
}

/**
 * `keys` as for readRequestRows: an entry naming a FAL key in any field is unreadable too - its unit is
 * kept in the price cache, sent to the window and printed by `image2model models --json`. Its endpoint
 * id is given only when it names no key.
 */
export function readPrices(items: readonly unknown[], keys: readonly (string | null | undefined)[]): { prices: Price[]; unreadable: UnreadablePrice[] } {
  const out: { prices: Price[]; unreadable: UnreadablePrice[] } = { prices: [], unreadable: [] };
  for (const item of items) {
    if (nestedTooDeeply(item)) {
      const id = (item as { endpoint_id?: unknown }).endpoint_id;
      const endpointId = typeof id === 'string' && !namesKey(id, keys) ? id : null;
      out.unreadable.push({ endpointId, problem: TOO_DEEP, fingerprint: fingerprintOf(endpointId === null ? 'deep' : { deep: endpointId }) });
      continue;
    }
    const parsed = PriceSchema.safeParse(item);
    const namesAKey = namesKey(JSON.stringify(item) ?? '', keys);
    if (parsed.success && !namesAKey) {
      out.prices.push(parsed.data);
      continue;
    }
    const id = (item as { endpoint_id?: unknown } | null)?.endpoint_id;
    out.unreadable.push({
      endpointId: typeof id === 'string' && !namesKey(id, keys) ? id : null,
      problem: parsed.success ? 'a field names the FAL key' : problemOf(parsed.error),
      fingerprint: fingerprintOf(item),
    });
  }
  return out;
}

export const EstimateSchema = z.looseObject({ estimate_type: z.string(), total_cost: Money, currency: z.string().default('USD') });
export type Estimate = z.infer<typeof EstimateSchema>;

/**
 * The largest charge (or refund) one billing event may carry: $1,000. The catalog's dearest model lists
 * $0.40 a generation and FAL's unit prices are cents, so no request the app sends comes near it; a cost
 * beyond it (1e308 from a garbled or hostile answer: two of them summed to Infinity and held the
 * spending cap reached all month) is no charge FAL made. Such an event is refused like any unreadable
 * one (its request keeps its estimate), and every sum of costs held to it stays finite.
 */
export const MAX_EVENT_USD = 1_000;
const EventUsd = z.number().min(-MAX_EVENT_USD).max(MAX_EVENT_USD);

/**
 * The most units one billing event (or one X-Fal-Billable-Units answer) may carry: a billion - MAX_EVENT_USD
 * at a tenth of a micro-dollar a unit, far below any unit FAL prices. More (1e308 from a garbled or hostile
 * answer: two of them summed to Infinity in the statistics' units) is no count FAL made: such an event is
 * refused like any unreadable one, and every sum of units stays finite.
 */
export const MAX_EVENT_UNITS = 1e9;

/** What a billing event costs: cost_total, else its nano-USD estimate; null when it names neither. */
export function eventCostUsd(event: { cost_total?: number | null; cost_estimate_nano_usd?: number | null }): number | null {
  return event.cost_total ?? (typeof event.cost_estimate_nano_usd === 'number' ? event.cost_estimate_nano_usd / 1e9 : null);
}

/**
 * A charge bills units (>= 0) for a cost >= 0; a refund, which FAL does not document, can only give
 * units back (<= 0) with its cost. Units charged for a negative cost, or given back for a positive one,
 * are no event FAL made (-5 units at $0.10 took the statistics' units below zero).
 */
function unitsAgreeWithCost(event: { output_units?: number | null; cost_total?: number | null; cost_estimate_nano_usd?: number | null }): boolean {
  const units = event.output_units ?? 0;
  const cost = eventCostUsd(event) ?? 0;
  return !((units > 0 && cost < 0) || (units < 0 && cost > 0));
}

export const BillingEventSchema = z.looseObject({
  request_id: z.string(),
  endpoint_id: EndpointId,
  timestamp: Iso,
  output_units: z.number().min(-MAX_EVENT_UNITS).max(MAX_EVENT_UNITS).nullish(),
  unit_price: Money.nullish(),
  percent_discount: z.number().nullish(),
  cost_subtotal: Money.nullish(),
  cost_discount: Money.nullish(),
  cost_total: EventUsd.nullish(),
  cost_estimate_nano_usd: z.number().min(-MAX_EVENT_USD * 1e9).max(MAX_EVENT_USD * 1e9).nullish(),
}).refine(unitsAgreeWithCost, { path: ['output_units'], message: 'units and cost of opposite signs' });
export type BillingEvent = z.infer<typeof BillingEventSchema>;
/** A page of billing events; its events are checked one by one (readBillingEvents): one bad event hides no other. */
export const BillingPageSchema = z.looseObject({ billing_events: z.array(z.unknown()), ...Cursor });

/** A billing event that failed BillingEventSchema (a cost that is no number, ...): left out, its cost unknown. */
export type UnreadableBillingEvent = UnreadableRequestRow;

/** Billing events as read: those that passed their check, and those that did not. */
export interface BillingEvents {
  events: BillingEvent[];
  unreadable: UnreadableBillingEvent[];
}

/** `keys` as for readRequestRows: an event naming a FAL key is unreadable (its model would be stored). */
export function readBillingEvents(items: readonly unknown[], keys: readonly (string | null | undefined)[]): BillingEvents {
  const { rows, unreadable } = readRows(BillingEventSchema, items, keys);
  return { events: rows, unreadable };
}

// Capped as a price's unit and endpoint id are: a longer one is a garbled row (the answer is refused).
export const UsageRowSchema = z.looseObject({
  endpoint_id: EndpointId,
  unit: z.string().max(MAX_PRICE_UNIT_CHARS).nullish(),
  quantity: z.number().nullish(),
  cost_total: Money.nullish(),
  cost: Money.nullish(),
  currency: z.string().nullish(),
});
export const UsagePageSchema = z.looseObject({
  summary: z.array(UsageRowSchema).optional(),
  time_series: z.array(z.looseObject({ bucket: z.string(), results: z.array(UsageRowSchema) })).optional(),
  ...Cursor,
});
export type Usage = z.infer<typeof UsagePageSchema>;

export const AccountSchema = z.looseObject({
  username: z.string().nullish(),
  credits: z.looseObject({ current_balance: Money, currency: z.string().default('USD') }).nullish(),
});
export type Account = z.infer<typeof AccountSchema>;
