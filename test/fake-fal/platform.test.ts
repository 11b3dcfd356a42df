// The fake platform API (api.fal.ai/v1) through the app's own platform client: history reflects
// what the server really received, auth rules, cursors, knobs, prices and billing from the
// fake's configured numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { createPlatformClient, PlatformError, type PlatformClient, type RequestQuery, type RequestRow } from '../../src/core/fal/platform-client';
import { realClient, rejectionOf, TRIPO } from './helpers';
import { startFakeFal, type FakeFal, type FakeFalOptions } from './server';

const KEY = 'test-key-123456';
const ADMIN = 'admin-key-123456';

const open: FakeFal[] = [];
async function fakeFal(options: FakeFalOptions = {}): Promise<FakeFal> {
  const fake = await startFakeFal({ processingMs: 20, ...options, platform: { adminKeys: [ADMIN], ...options.platform } });
  open.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((fake) => fake.close()));
});

function platform(fake: FakeFal, key = KEY, mode: 'proxy' | 'fetch' = 'proxy'): PlatformClient {
  return createPlatformClient({ key, retries: 2, baseDelayMs: 1, ...(mode === 'proxy' ? { proxyUrl: fake.url } : { fetch: fake.fetch }) });
}

/** The request history's rows (the fake lists no unreadable ones unless told to). */
async function historyRows(fake: FakeFal, query: RequestQuery): Promise<RequestRow[]> {
  const history = await platform(fake).requests(query);
  expect(history.unreadable).toEqual([]);
  return history.rows;
}

const submitRaw = (fake: FakeFal, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${fake.url}/${TRIPO}`, { method: 'POST', headers: { authorization: `Key ${KEY}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });

const raw = (fake: FakeFal, path: string, key?: string) =>
  fetch(`${fake.url}${path}`, { headers: key ? { authorization: `Key ${key}` } : {} });

describe('request history', () => {
  it('lists every submit the server accepted, including answers it dropped or turned into a 5xx', async () => {
    const fake = await fakeFal();
    fake.script(
      { op: 'submit', fault: { kind: 'reset', afterHandling: true } },
      { op: 'submit', fault: { kind: 'infra', status: 503, afterHandling: true } },
    );
    await rejectionOf(submitRaw(fake, { image_url: 'https://x/a.png' }));
    expect((await submitRaw(fake, { image_url: 'https://x/b.png' })).status).toBe(503);
    expect(fake.submissions).toHaveLength(2);

    const rows = await historyRows(fake, { endpointId: TRIPO, payloads: true });
    expect(rows.map((r) => r.request_id).sort()).toEqual(fake.submissions.map((s) => s.requestId).sort());
    expect(rows.map((r) => r.json_input)).toEqual(expect.arrayContaining([{ image_url: 'https://x/a.png' }, { image_url: 'https://x/b.png' }]));
    expect(rows.every((r) => r.endpoint_id === TRIPO && typeof r.sent_at === 'string')).toBe(true);
    // Another endpoint has none of them.
    expect(await historyRows(fake, { endpointId: 'fal-ai/trellis' })).toEqual([]);
  });

  it('pages with cursors (limit <= 100) and filters by request id and status', async () => {
    const fake = await fakeFal();
    const { fal } = realClient(fake);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await fal.queue.submit(TRIPO, { input: { image_url: `https://x/${i}.png` } })).request_id);
    await Promise.all(ids.map((id) => fake.waitFor(id, 'COMPLETED')));

    const first = (await (await raw(fake, `/v1/models/requests/by-endpoint?endpoint_id=${TRIPO}&limit=2`, KEY)).json()) as { items: unknown[]; next_cursor: string | null; has_more: boolean };
    expect(first.items).toHaveLength(2);
    expect(first.has_more).toBe(true);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect((await raw(fake, `/v1/models/requests/by-endpoint?endpoint_id=${TRIPO}&limit=101`, KEY)).status).toBe(400);
    expect((await raw(fake, `/v1/models/requests/by-endpoint?limit=10`, KEY)).status).toBe(400);

    const all = await historyRows(fake, { endpointId: TRIPO, limit: 2 });
    expect(all.map((r) => r.request_id).sort()).toEqual([...ids].sort());
    expect(all.every((r) => r.status_code === 200 && r.ended_at !== null && typeof r.duration === 'number')).toBe(true);
    expect(all.some((r) => 'json_input' in r)).toBe(false);

    const one = await historyRows(fake, { endpointId: TRIPO, requestId: ids[2]! });
    expect(one.map((r) => r.request_id)).toEqual([ids[2]]);
    expect(await historyRows(fake, { endpointId: TRIPO, status: 'error' })).toEqual([]);
  });

  it('shows a request only after the listing delay, and honours the time window', async () => {
    const fake = await fakeFal({ platform: { listingDelayMs: 300 } });
    const { fal } = realClient(fake);
    const { request_id } = await fal.queue.submit(TRIPO, { input: { image_url: 'https://x/a.png' } });
    expect(await historyRows(fake, { endpointId: TRIPO })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await historyRows(fake, { endpointId: TRIPO })).map((r) => r.request_id)).toEqual([request_id]);
    const later = new Date(Date.now() + 60_000);
    expect(await historyRows(fake, { endpointId: TRIPO, start: later, end: new Date(later.getTime() + 1000) })).toEqual([]);
  });

  it('leaves payloads out when storage is off, globally or per request with X-Fal-Store-IO: 0', async () => {
    const fake = await fakeFal();
    const send = (image: string, headers: Record<string, string> = {}) => submitRaw(fake, { image_url: image }, headers);
    await send('https://x/kept.png');
    await send('https://x/private.png', { 'x-fal-store-io': '0' });
    const rows = await historyRows(fake, { endpointId: TRIPO, payloads: true });
    const inputs = rows.map((r) => r.json_input);
    expect(inputs).toContainEqual({ image_url: 'https://x/kept.png' });
    expect(inputs).toContain(null);
    fake.setPlatform({ storePayloads: false });
    expect((await historyRows(fake, { endpointId: TRIPO, payloads: true })).map((r) => r.json_input)).toEqual([null, null]);
  });
});

describe('auth, errors and knobs', () => {
  it('answers 401 without a key and 403 to an ordinary key on admin-only endpoints, in FAL error shape', async () => {
    const fake = await fakeFal();
    const none = await raw(fake, '/v1/models/pricing?endpoint_id=fal-ai/trellis');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { type: expect.any(String), message: expect.any(String) } });
    for (const path of ['/v1/models/billing-events', '/v1/models/usage?expand=summary', '/v1/account/billing?expand=credits']) {
      const denied = await raw(fake, path, KEY);
      expect(denied.status, path).toBe(403);
      expect(await denied.json()).toEqual({ error: { type: expect.any(String), message: expect.any(String) } });
      expect((await raw(fake, path, ADMIN)).status, path).toBe(200);
    }
    const error = await rejectionOf(platform(fake).account());
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).kind).toBe('forbidden');
  });

  it('plays a platform API that is down, rate limited or without history permission', async () => {
    const fake = await fakeFal();
    fake.setPlatform({ down: 503 });
    expect(((await rejectionOf(platform(fake).prices([TRIPO]))) as PlatformError).kind).toBe('server');
    fake.setPlatform({ down: false, denyRequestHistory: true });
    expect(((await rejectionOf(historyRows(fake, { endpointId: TRIPO }))) as PlatformError).kind).toBe('forbidden');
    fake.setPlatform({ denyRequestHistory: false });
    fake.script({ op: 'platform', fault: { kind: 'rateLimit', retryAfter: 0 }, times: 2 });
    expect(await historyRows(fake, { endpointId: TRIPO })).toEqual([]);
    expect(fake.requestsFor('platform').map((r) => r.outcome)).toEqual([503, 503, 503, 403, 429, 429, 200]);
  });

  it('works through the host-rewrite fetch as well as the proxy', async () => {
    const fake = await fakeFal();
    expect(await platform(fake, KEY, 'fetch').prices([TRIPO])).toEqual([{ endpoint_id: TRIPO, unit_price: 0.25, unit: 'generation', currency: 'USD' }]);
  });
});

describe('prices and billing', () => {
  it('answers prices, estimates, billing events, usage and balance from its configured numbers', async () => {
    const fake = await fakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.3, unit: 'generation' } }, billableUnits: 2, balanceUsd: 10 } });
    const admin = platform(fake, ADMIN);
    expect(await admin.prices([TRIPO, 'fal-ai/unknown'])).toEqual([{ endpoint_id: TRIPO, unit_price: 0.3, unit: 'generation', currency: 'USD' }]);
    expect((await admin.estimate({ estimate_type: 'unit_price', endpoints: { [TRIPO]: { unit_quantity: 3 } } })).total_cost).toBeCloseTo(0.9);

    const { fal, seen } = realClient(fake);
    const { request_id } = await fal.queue.submit(TRIPO, { input: { image_url: 'https://x/a.png' } });
    await fake.waitFor(request_id, 'COMPLETED');
    await fal.queue.result(TRIPO, { requestId: request_id });
    expect(seen.at(-1)?.headers.get('x-fal-billable-units')).toBe('2');

    const events = await admin.billingEvents({ requestIds: [request_id] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ request_id, endpoint_id: TRIPO, output_units: 2, unit_price: 0.3, cost_total: 0.6 });
    const usage = await admin.usage({ expand: ['summary', 'time_series'] });
    expect(usage.summary?.[0]).toMatchObject({ endpoint_id: TRIPO, quantity: 2, cost_total: 0.6 });
    expect(usage.time_series?.[0]?.results[0]?.cost_total).toBe(0.6);
    expect((await admin.account()).credits?.current_balance).toBeCloseTo(9.4);
  });
});
