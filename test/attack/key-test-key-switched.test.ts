// Test key while the user saves another key (or sets a proxy): FAL's answer was about the key sent,
// but the window showed it for the key set by then - a key FAL would refuse was reported "FAL accepted
// the key." (and the waiting jobs resumed on it). The answer now says the key changed meanwhile and to
// press Test key again.
import { afterEach, expect, it } from 'vitest';
import { KEY_CHANGED_DURING_TEST } from '../../src/core/services';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { useTempAppCore, waitForValue } from '../support/temp-app-core';

const GOOD = 'good-key-id:0123456789abcdef0123';
const BAD = 'bad-key-id:fedcba9876543210fedc';
let fake: FakeFal | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = useTempAppCore('key-test-switched');

it('a key saved while the last one is tested: the answer does not pass for the new key', async () => {
  fake = await startFakeFal({ acceptedKeys: [GOOD] });
  const { core } = await start({ options: { route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }) } });
  expect(await core.dispatch('key:set', { key: GOOD, allowWeak: true })).toMatchObject({ ok: true });
  // FAL takes its time over the test's one call.
  fake.script({ op: 'platform', delayMs: 1_000, when: (ctx) => ctx.headers.authorization === `Key ${GOOD}` });
  const testing = core.dispatch('key:test', undefined);
  await waitForValue(() => (fake!.pendingRules().length === 0 ? true : null), 10_000, 'the test call to reach FAL');
  expect(await core.dispatch('key:set', { key: BAD, allowWeak: true })).toMatchObject({ ok: true });
  expect(await testing).toEqual({ ok: true, data: KEY_CHANGED_DURING_TEST });
  // Asked again, the key set now is the one tested.
  expect(await core.dispatch('key:test', undefined)).toMatchObject({ ok: true, data: { result: 'rejected' } });
});

it('a test that nothing interrupts still answers for the key', async () => {
  fake = await startFakeFal({ acceptedKeys: [GOOD] });
  const { core } = await start({ options: { route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }) } });
  await core.dispatch('key:set', { key: GOOD, allowWeak: true });
  expect(await core.dispatch('key:test', undefined)).toMatchObject({ ok: true, data: { result: 'accepted' } });
});
