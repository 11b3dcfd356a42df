// The platform features wired into the app core, as the UI and CLI reach them: the billing key
// stays in main, prices and spend shown match the fake FAL's numbers, and the spending cap holds
// jobs on real spend (FAL's billing events) even when the estimates say there is room.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { Job } from '../../../src/shared/domain';
import { makeTestPng } from '../../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { FAST_TIMING, TEST_KEY } from '../engine/harness';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const ADMIN = 'admin-key-abcdef123456';
let fake: FakeFal | undefined;
let core: AppCore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await core?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = fake = dir = undefined;
});

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = (await core!.dispatch(channel, input)) as { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

let seed = 100;
const addJob = async () => {
  const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: seed++ }));
  const added = await call<{ added: Job[] }>('jobs:add', { items: [{ kind: 'bytes', name: `chair-${seed}.png`, bytes }], endpoint: TRIPO, preset: 'draft' });
  return added.added[0]!.id;
};
const jobState = async (id: string) => (await call<Job[]>('jobs:list')).find((j) => j.id === id)?.state;

describe('prices and spend through the app core', () => {
  it('prices from FAL, real costs and balance with the billing key, and the cap holding jobs on real spend', async () => {
    // FAL bills 3 units of $0.40 per run: $1.20 real against an estimate of $0.40 (1 unit, draft).
    // No X-Fal-Billable-Units here: without the billing key only estimates are known.
    fake = await startFakeFal({
      processingMs: 30,
      platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.4, unit: 'generation' } }, billableUnits: 3, sendBillableUnits: false, balanceUsd: 30 },
    });
    dir = mkdtempSync(join(tmpdir(), 'i2m-app-spend-'));
    const settings = createFileSettingsStore(join(dir, 'settings.json'));
    settings.set({ spendingCapUsd: 2 });
    core = createAppCore({
      dataDir: dir,
      keys: createMemoryKeyVault({ FAL_KEY: TEST_KEY }),
      billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
      route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
      settings,
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      engineOverrides: { timing: FAST_TIMING },
    });
    await core.start(() => {});

    expect(await call('prices:refresh')).toMatchObject({ ok: true, message: null, asOf: expect.any(Number) });
    const tripo = (await call<{ id: string; priceByPreset: Record<string, number>; price?: { source: string } }[]>('models:list')).find((m) => m.id === TRIPO)!;
    expect(tripo.priceByPreset.draft).toBe(0.4);
    expect(tripo.price?.source).toBe('fal');

    expect(await call('billingKey:status')).toMatchObject({ set: false });
    const first = await addJob();
    const second = await addJob();
    await until(async () => (await jobState(first)) === 'succeeded' && (await jobState(second)) === 'succeeded');
    const jobs = await call<Job[]>('jobs:list');
    expect(jobs.map((j) => j.estimatedCostUsd)).toEqual([0.4, 0.4]);
    // Without the billing key: estimates, labelled as such ($0.80 < $2 cap).
    expect(await call('cost:summary')).toMatchObject({ basis: 'estimate', billingKey: false, capReached: false, balanceUsd: null });

    const status = await call<{ set: boolean; last4: string }>('billingKey:set', { key: ADMIN });
    expect(status).toMatchObject({ set: true, last4: '3456' });
    expect(JSON.stringify(status)).not.toContain(ADMIN);
    const synced = await call<{ monthUsd: number; basis: string; balanceUsd: number; capReached: boolean }>('spend:sync');
    expect(synced).toMatchObject({ basis: 'real', capReached: true });
    expect(synced.monthUsd).toBeCloseTo(2.4);
    expect(synced.balanceUsd).toBeCloseTo(fake.platform.balanceUsd());
    expect(synced.balanceUsd).toBeCloseTo(30 - 2.4);
    const costs = await call<{ jobId: string; usd: number; source: string }[]>('spend:jobCosts', { ids: [first, second] });
    expect(costs.map((c) => [c.usd, c.source])).toEqual([
      [expect.closeTo(1.2, 6), 'billing_event'],
      [expect.closeTo(1.2, 6), 'billing_event'],
    ]);

    // The estimates ($0.80 + $0.40) would still be under the $2 cap; the real $2.40 is not.
    const third = await addJob();
    await until(async () => (await call<{ status: string }>('queue:state')).status === 'spending_cap');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await jobState(third)).toBe('queued');
    expect(fake.submissions).toHaveLength(2);
    expect(fake.requests.filter((r) => r.op === 'platform').every((r) => r.authorization === `Key ${TEST_KEY}` || r.authorization === `Key ${ADMIN}`)).toBe(true);
  });

  it('a billing key FAL refuses, then the right one saved: FAL is asked at once, not after the failed read\'s wait', async () => {
    fake = await startFakeFal({ platform: { adminKeys: [ADMIN], balanceUsd: 30 } });
    dir = mkdtempSync(join(tmpdir(), 'i2m-app-spend-'));
    core = createAppCore({
      dataDir: dir,
      keys: createMemoryKeyVault({ FAL_KEY: TEST_KEY }),
      billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
      route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
      settings: createFileSettingsStore(join(dir, 'settings.json')),
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      engineOverrides: { timing: FAST_TIMING },
    });
    await core.start(() => {});
    // The ordinary key as the billing key: FAL refuses the balance read (not an admin key).
    await call('billingKey:set', { key: TEST_KEY, allowWeak: true });
    const refused = await call<{ balanceUsd: number | null; syncError: string | null }>('spend:sync');
    expect(refused).toMatchObject({ balanceUsd: null, syncError: expect.stringMatching(/balance.*not allowed/) });
    expect(refused.syncError).not.toContain(TEST_KEY);
    await call('billingKey:set', { key: ADMIN });
    expect(await call('spend:sync')).toMatchObject({ balanceUsd: 30, syncError: null });
  });
});
