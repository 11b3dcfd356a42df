// A rate-limited platform call waits before it asks again. A Retry-After that is no wait at all
// ("-5", a blank) was read as "now" (Date.parse takes "-5" as the year 2001), so a 429 was asked
// again three times at once; such a header now falls back to the client's own back-off, as the
// queue calls do (queue/backoff.ts parseRetryAfter).
import { expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';

async function waitsAfter429(retryAfter: string): Promise<number[]> {
  let calls = 0;
  const waits: number[] = [];
  const fetch = (async () => {
    calls++;
    if (calls === 1) return new Response('{"detail":"slow down"}', { status: 429, headers: { 'retry-after': retryAfter } });
    return new Response(JSON.stringify({ prices: [], has_more: false }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const client = createPlatformClient({ key: 'key-0123456789abcdef', fetch, baseDelayMs: 500, sleep: async (ms) => void waits.push(ms) });
  await client.prices(['fal-ai/some-model']);
  return waits;
}

it('waits its own back-off when Retry-After names no wait', async () => {
  for (const header of ['-5', ' ', '1e3', 'soon']) expect(await waitsAfter429(header), JSON.stringify(header)).toEqual([500]);
});

it('keeps to a short Retry-After in seconds or as a date', async () => {
  expect(await waitsAfter429('2')).toEqual([2000]);
  const [wait] = await waitsAfter429(new Date(Date.now() + 10_000).toUTCString());
  expect(wait).toBeGreaterThan(8_000);
  expect(wait).toBeLessThanOrEqual(10_000);
});

it('does not sleep through a long Retry-After: the call ends with the whole wait, for its caller to keep', async () => {
  // It slept 60 s (three times, for a 429 each time) and asked again long before FAL said to.
  for (const header of ['3600', new Date(Date.now() + 5 * 60_000).toUTCString()]) {
    await expect(waitsAfter429(header), header).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: expect.any(Number) });
  }
  await expect(waitsAfter429('3600')).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
});
