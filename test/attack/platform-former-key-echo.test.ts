// A key replaced in Settings is still the user's secret: FAL's platform API (or a proxy that had the
// key) answering a later call with the old key in its error text put it in the price refresh's
// message, the spend view's error and the log, since only the keys held now were redacted. Every key
// the platform work read in this run is redacted now.
import { afterEach, expect, it } from 'vitest';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { useTempAppCore } from '../support/temp-app-core';

const OLD = 'old-key-id:FORMERSECRET0123456789abcdef';
const NEW = 'new-key-id:0123456789abcdef01234567';
const ADMIN = 'admin-key-id:ADMINSECRET0123456789ab';
let fake: FakeFal | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = useTempAppCore('former-key-echo');

it('the key used before the one set now, echoed by the platform API, appears in no message or log', async () => {
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN] } });
  const logged: string[] = [];
  const log = (message: string, detail?: unknown) => void logged.push(`${message} ${String(detail ?? '')}`);
  const { core } = await start({
    options: {
      keys: createMemoryKeyVault({ FAL_KEY: OLD }),
      billingKeys: createMemoryKeyVault({ FAL_ADMIN_KEY: ADMIN }, 'FAL_ADMIN_KEY'),
      route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
      logger: { info: log, warn: log, error: log },
    },
  });
  // The old key at work: prices read with it.
  expect(await core.dispatch('prices:refresh', undefined)).toMatchObject({ ok: true, data: { ok: true } });
  expect(await core.dispatch('key:set', { key: NEW, allowWeak: true })).toMatchObject({ ok: true });
  // From now on every platform answer is a refusal naming the old key.
  fake.script({ op: 'platform', fault: { kind: 'http', status: 401, body: { error: { type: 'auth', message: `the credential ${OLD} was revoked` } } }, times: Infinity });
  const answers = [await core.dispatch('prices:refresh', undefined), await core.dispatch('spend:sync', undefined)];
  const text = JSON.stringify(answers) + logged.join('\n');
  expect(text).toContain('[redacted] was revoked');
  expect(text).not.toContain('FORMERSECRET');
});
