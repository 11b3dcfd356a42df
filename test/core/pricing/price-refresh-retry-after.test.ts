// A price refresh FAL answered with 429 and a Retry-After over a minute was asked again after 60 s,
// three times: the refresh the user pressed (or the window's own) hung about 3 minutes, asking FAL
// again long before it said to. Now a wait beyond the call's short budget ends the refresh at once,
// saying until when FAL asked to wait; the prices shown stay, and FAL is not asked again before then.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { PLATFORM_WAIT_BUDGET_MS } from '../../../src/core/fal/platform-call';
import { createPriceBook } from '../../../src/core/pricing/price-book';
import { localDateTime } from '../../../src/shared/local-time';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const PRICES = JSON.stringify({ prices: [{ endpoint_id: 'fal-ai/trellis', unit_price: 0.02, unit: 'generation', currency: 'USD' }], next_cursor: null, has_more: false });

/** A price book on a FAL whose price list answers `answers` in turn (then prices); the sleeps its calls made. */
function bookOn(answers: { status: number; retryAfter?: string }[], now: { t: number }) {
  dir = mkdtempSync(join(tmpdir(), 'i2m-price-wait-'));
  const asked: number[] = [];
  const waits: number[] = [];
  const fetch = (async () => {
    asked.push(now.t);
    const next = answers.shift();
    if (next) return new Response('{"error":{"type":"rate_limited","message":"slow down"}}', { status: next.status, headers: next.retryAfter ? { 'retry-after': next.retryAfter } : {} });
    return new Response(PRICES, { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const client = createPlatformClient({ key: 'key-0123456789abcdef', fetch, sleep: async (ms) => void waits.push(ms) });
  return { book: createPriceBook({ dataDir: dir, platform: () => client, now: () => now.t }), asked, waits };
}

it('a Retry-After of 2 minutes ends the refresh at once, says until when, and FAL is not asked before then', async () => {
  const now = { t: Date.now() };
  const { book, asked, waits } = bookOn([{ status: 429, retryAfter: '120' }], now);
  const result = await book.refresh();
  expect(waits).toEqual([]); // no 60 s sleeps: nothing hangs
  expect(asked).toHaveLength(1); // FAL asked once, not four times
  expect(result).toEqual({ ok: false, message: expect.stringContaining(`FAL asked to wait until ${localDateTime(now.t + 120_000)} before prices are asked for again; the prices shown stay until then.`) });
  expect(result.message).toMatch(/^FAL's platform API asked to slow down/);

  // The window tries again a minute on: FAL is not asked, and the answer says why.
  now.t += 60_000;
  expect(await book.refresh()).toEqual({ ok: false, message: expect.stringMatching(/^Prices were not refreshed: FAL asked to wait until /) });
  expect(asked).toHaveLength(1);

  // Once the wait is over: asked, and the prices come.
  now.t += 61_000;
  expect(await book.refresh()).toMatchObject({ ok: true, count: 1 });
  expect(asked).toHaveLength(2);
});

it('short waits FAL asks for are kept within the budget; one beyond what is left ends the call', async () => {
  const now = { t: Date.now() };
  const { book, asked, waits } = bookOn([{ status: 503, retryAfter: '2' }, { status: 429 }, { status: 429, retryAfter: String(PLATFORM_WAIT_BUDGET_MS / 1000) }], now);
  const result = await book.refresh();
  // 2 s asked, then the client's own back-off (1 s); the third wait would pass the budget: the call stops.
  expect(waits).toEqual([2000, 1000]);
  expect(asked).toHaveLength(3);
  expect(result).toMatchObject({ ok: false, message: expect.stringContaining('FAL asked to wait until') });
});
