// The money side of the fake platform API: prices, price estimates, billing events, usage and the
// account balance, all from the fake's configured prices and the requests it really billed.
import { jsonReply, type Reply } from './http';
import type { FakePlatform } from './platform';
import { DAY_MS, isReply, listParam, paginate, platformError, round6, timeWindow } from './platform-http';
import type { FakeBillingEvent } from './platform-types';

export function pricingReply(platform: FakePlatform, params: URLSearchParams): Reply {
  const endpoints = listParam(params, 'endpoint_id');
  if (endpoints.length < 1 || endpoints.length > 50) return platformError(400, 'validation_error', 'endpoint_id is required (1 to 50 values)');
  const prices = endpoints.flatMap((id) => {
    const price = platform.options.prices[id];
    return price ? [{ endpoint_id: id, unit_price: price.unitPrice, unit: price.unit ?? 'request', currency: 'USD' }] : [];
  });
  const paged = paginate(prices, params, 50, 50);
  if (isReply(paged)) return paged;
  return jsonReply(200, { prices: paged.page, next_cursor: paged.next_cursor, has_more: paged.has_more });
}

export function estimateReply(platform: FakePlatform, body: unknown): Reply {
  const request = body as { estimate_type?: unknown; endpoints?: Record<string, Record<string, unknown>> } | undefined;
  const type = request?.estimate_type;
  if ((type !== 'historical_api_price' && type !== 'unit_price') || typeof request?.endpoints !== 'object' || request.endpoints === null) {
    return platformError(400, 'validation_error', 'Send estimate_type (historical_api_price or unit_price) and endpoints');
  }
  let total = 0;
  for (const [id, spec] of Object.entries(request.endpoints)) {
    const price = platform.options.prices[id];
    if (!price) return platformError(404, 'not_found', `No price for endpoint ${id}`);
    const quantity = type === 'unit_price' ? spec.unit_quantity : spec.call_quantity;
    const valid = typeof quantity === 'number' && (type === 'unit_price' ? quantity > 0 : Number.isInteger(quantity) && quantity >= 1);
    if (!valid) return platformError(400, 'validation_error', `Invalid quantity for ${id}`);
    // A historical call costs what the average call used: the fake bills 1 unit per call by default.
    const units = type === 'unit_price' ? quantity : quantity * platform.unitsFor(id, {});
    total += units * price.unitPrice;
  }
  return jsonReply(200, { estimate_type: type, total_cost: round6(total), currency: 'USD' });
}

function inWindow(events: FakeBillingEvent[], params: URLSearchParams, defaultSpanMs: number): FakeBillingEvent[] | Reply {
  const window = timeWindow(params, defaultSpanMs, 90 * DAY_MS);
  if (isReply(window)) return window;
  const endpoints = listParam(params, 'endpoint_id');
  return events.filter((e) => {
    const at = Date.parse(e.timestamp);
    return at >= window.start && at < window.end && (endpoints.length === 0 || endpoints.includes(e.endpoint_id));
  });
}

export function billingEventsReply(platform: FakePlatform, params: URLSearchParams): Reply {
  const requestIds = listParam(params, 'request_id');
  if (requestIds.length > 50) return platformError(400, 'validation_error', 'request_id takes at most 50 values');
  const events = inWindow(platform.billingEvents(), params, requestIds.length > 0 ? 90 * DAY_MS : DAY_MS);
  if (isReply(events)) return events;
  const chosen: unknown[] = requestIds.length > 0 ? events.filter((e) => requestIds.includes(e.request_id)) : events;
  const extra = platform.options.extraBillingEvents.filter((e) => {
    const id = (e as { request_id?: unknown } | null)?.request_id;
    return requestIds.length === 0 || (typeof id === 'string' && requestIds.includes(id));
  });
  const paged = paginate([...chosen, ...extra], params, 100, 10_000);
  if (isReply(paged)) return paged;
  return jsonReply(200, { billing_events: paged.page, next_cursor: paged.next_cursor, has_more: paged.has_more });
}

interface UsageRow {
  endpoint_id: string;
  unit: string;
  quantity: number;
  unit_price: number;
  percent_discount: number | null;
  cost_subtotal: number;
  cost_discount: number;
  cost_total: number;
  cost: number;
  currency: 'USD';
}

function usageRows(platform: FakePlatform, events: FakeBillingEvent[]): UsageRow[] {
  const byEndpoint = new Map<string, UsageRow>();
  for (const e of events) {
    const row = byEndpoint.get(e.endpoint_id) ?? {
      endpoint_id: e.endpoint_id,
      unit: platform.options.prices[e.endpoint_id]?.unit ?? 'request',
      quantity: 0,
      unit_price: e.unit_price,
      percent_discount: e.percent_discount,
      cost_subtotal: 0,
      cost_discount: 0,
      cost_total: 0,
      cost: 0,
      currency: 'USD' as const,
    };
    row.quantity += e.output_units;
    row.cost_subtotal = round6(row.cost_subtotal + e.cost_subtotal);
    row.cost_discount = round6(row.cost_discount + e.cost_discount);
    row.cost_total = round6(row.cost_total + e.cost_total);
    row.cost = row.cost_total;
    byEndpoint.set(e.endpoint_id, row);
  }
  return [...byEndpoint.values()];
}

export function usageReply(platform: FakePlatform, params: URLSearchParams): Reply {
  const expand = listParam(params, 'expand');
  if (!expand.includes('time_series') && !expand.includes('summary')) {
    return platformError(400, 'validation_error', 'expand must include time_series and/or summary');
  }
  const events = inWindow(platform.billingEvents(), params, DAY_MS);
  if (isReply(events)) return events;
  const body: Record<string, unknown> = {};
  if (expand.includes('summary')) body.summary = usageRows(platform, events);
  if (expand.includes('time_series')) {
    // Day buckets in UTC (the fake ignores `timeframe` and `timezone`).
    const buckets = new Map<string, FakeBillingEvent[]>();
    for (const e of events) {
      const bucket = `${e.timestamp.slice(0, 10)}T00:00:00Z`;
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), e]);
    }
    const series = [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, list]) => ({ bucket, results: usageRows(platform, list) }));
    const paged = paginate(series, params, 100, 10_000);
    if (isReply(paged)) return paged;
    body.time_series = paged.page;
    return jsonReply(200, { ...body, next_cursor: paged.next_cursor, has_more: paged.has_more });
  }
  return jsonReply(200, { ...body, next_cursor: null, has_more: false });
}

export function accountReply(platform: FakePlatform, params: URLSearchParams): Reply {
  const body: Record<string, unknown> = { username: platform.options.username };
  if (listParam(params, 'expand').includes('credits')) body.credits = { current_balance: platform.balanceUsd(), currency: 'USD' };
  return jsonReply(200, body);
}
