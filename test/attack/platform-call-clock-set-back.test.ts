// A platform call's deadline (30 s over its tries and waits) was kept on the wall clock: the clock set
// back while a call waited on a server that never answers (NTP correcting it, the user changing the
// time zone by hand) moved the deadline away, and the call ran every try again - 4 x 20 s plus waits,
// what the deadline was made to end. It is kept on the monotonic clock now.
import { afterEach, expect, it, vi } from 'vitest';
import { createPlatformClient, PlatformError } from '../../src/core/fal/platform-client';
import { nodeFetch } from '../../src/core/fal/node-fetch';
import { startFakeFal, type FakeFal } from '../fake-fal/server';

let fake: FakeFal | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

it('the wall clock set back an hour during the first try does not give the call its tries again', async () => {
  fake = await startFakeFal();
  const realNow = Date.now.bind(Date);
  let offset = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  // Every try hangs; the clock goes back an hour as the first one reaches the server.
  fake.script({ op: 'platform', fault: { kind: 'hang' }, times: Infinity, when: () => ((offset = -3600_000), true) });
  // Tries of 300 ms, 500 ms in all: two tries at most (the second gets what is left).
  const client = createPlatformClient({ key: 'clock-key-0123456789abcdef', proxyUrl: fake.url, fetch: nodeFetch, timeoutMs: 300, retries: 3, baseDelayMs: 10, deadlineMs: 500, minTryMs: 100 });
  const error = await client.prices(['tripo3d/tripo/v2.5/image-to-3d']).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PlatformError);
  expect(error).toMatchObject({ kind: 'offline' });
  expect(fake.requestsFor('platform').length).toBeLessThanOrEqual(2);
});
