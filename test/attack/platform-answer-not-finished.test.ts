// A proxy in front of FAL's platform API that sends an answer's head and then stalls (or cuts the
// connection mid-body): the short body was read as FAL's whole answer, so a price refresh said "FAL's
// platform API sent an answer that is not JSON" after one try, and Test key said the answer "does not
// show whether FAL accepted it" - neither true, nor tried again within the call's deadline. Such a try
// is now a connection failure: tried again while the deadline allows, then reported as not reached,
// with the key in no message.
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient, PlatformError } from '../../src/core/fal/platform-client';
import { nodeFetch } from '../../src/core/fal/node-fetch';
import { testFalKey } from '../../src/core/keys/test-key';
import { startFakeFal, type FakeFal } from '../fake-fal/server';

const KEY = 'planted-key-id:PLANTED0123456789abcdef';
let fake: FakeFal | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The app's client over the app's fetch, the fake as the proxy; short tries so the deadline is reached quickly. */
function client(): ReturnType<typeof createPlatformClient> {
  return createPlatformClient({ key: KEY, proxyUrl: fake!.url, fetch: nodeFetch, timeoutMs: 400, deadlineMs: 1_500, minTryMs: 100, baseDelayMs: 10, maxPages: 1 });
}

async function failure(work: Promise<unknown>): Promise<PlatformError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

it('an answer whose body stalls after its head is tried again and reported as not finished, not as "not JSON"', async () => {
  fake = await startFakeFal({ acceptedKeys: [KEY] });
  fake.script({ op: 'platform', fault: { kind: 'stall', bytes: 3 }, times: Infinity });
  const error = await failure(client().prices(['tripo3d/tripo/v2.5/image-to-3d']));
  expect(error.kind).toBe('offline');
  expect(error.message).toMatch(/could not be reached \(its answer did not finish within 1 s\), \d+ tries over \d+ s\.$/);
  expect(fake.requestsFor('platform').length).toBeGreaterThan(1);
  expect(error.message).not.toContain('PLANTED');
});

it('an answer cut off mid-body is tried again, and the try after it is read', async () => {
  fake = await startFakeFal({ acceptedKeys: [KEY] });
  fake.script({ op: 'platform', fault: { kind: 'truncate', bytes: 3, abort: true } });
  const prices = await client().prices(['tripo3d/tripo/v2.5/image-to-3d']);
  expect(prices.length).toBeGreaterThan(0);
  expect(fake.requestsFor('platform')).toHaveLength(2);
});

it('Test key on a stalled answer says FAL could not be reached and what to do', async () => {
  fake = await startFakeFal({ acceptedKeys: [KEY] });
  fake.script({ op: 'platform', fault: { kind: 'stall', bytes: 3 }, times: Infinity });
  const result = await testFalKey(KEY, { route: { proxyUrl: fake.url, sendKeyToProxy: true }, fetch: nodeFetch, timeoutMs: 400 });
  expect(result.result).toBe('unreachable');
  expect(result.message).toBe('FAL could not be reached (its answer did not finish within 1 s). Check your internet connection and try again.');
});
