// A job's estimate was fixed when it was added: one added with no key (or while FAL's prices were
// stale) kept the built-in price after FAL's prices arrived - the queue showed it, and it is the
// amount the spend counts for the job once sent. When prices arrive, the jobs not sent yet are priced
// again (and the window told); a job already sent keeps the estimate it was sent at.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { DATABASE_FILE } from '../../../src/core/db/open';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../../src/core/keys/route-store';
import { getModel } from '../../../src/core/models/catalog';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { Job } from '../../../src/shared/domain';
import { makeTestPng } from '../../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { TEST_KEY } from '../engine/harness';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
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

it('FAL prices arriving re-price the jobs not sent yet, and never a sent one', async () => {
  fake = await startFakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.9, unit: 'generation' } } } });
  dir = mkdtempSync(join(tmpdir(), 'i2m-reestimate-'));
  // The key comes after the jobs were added (the queue itself is kept without one: its jobs wait).
  const keys = createMemoryKeyVault({});
  const emitted: Job[] = [];
  core = createAppCore({
    dataDir: dir,
    keys,
    route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
    settings: createFileSettingsStore(join(dir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    engineOverrides: { getFalKey: () => null },
  });
  await core.start((event, payload) => {
    if (event === 'job:changed') emitted.push(payload as Job);
  });

  const add = async (seed: number) => {
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed }));
    const added = await call<{ added: Job[] }>('jobs:add', { items: [{ kind: 'bytes', name: `chair-${seed}.png`, bytes }], endpoint: TRIPO, preset: 'high' });
    return added.added[0]!;
  };
  const builtIn = getModel(TRIPO)!.estimateCostUsd('high', {});
  const waiting = await add(1);
  const sent = await add(2);
  expect([waiting.estimatedCostUsd, sent.estimatedCostUsd]).toEqual([builtIn, builtIn]);
  // The other one was sent (FAL's request id stored) and waits to be followed again.
  const db = new Database(join(dir, DATABASE_FILE));
  db.prepare("UPDATE jobs SET fal_request_id = 'req-sent', submit_started_at = 5, submitted_at = 6 WHERE id = ?").run(sent.id);
  db.close();

  keys.set(TEST_KEY);
  expect(await call('prices:refresh')).toMatchObject({ ok: true });
  // Tripo's high preset is several units of its cheapest one, each at FAL's $0.90.
  const draftUnits = getModel(TRIPO)!.estimateCostUsd('draft', {});
  const fresh = (builtIn / draftUnits) * 0.9;
  expect(fresh).not.toBeCloseTo(builtIn, 6);
  const jobs = await call<Job[]>('jobs:list');
  expect(jobs.find((j) => j.id === waiting.id)?.estimatedCostUsd).toBeCloseTo(fresh, 6);
  expect(jobs.find((j) => j.id === sent.id)?.estimatedCostUsd).toBe(builtIn);
  // The window is told (the queue row shows the job's estimate).
  expect(emitted.filter((j) => j.id === waiting.id).at(-1)?.estimatedCostUsd).toBeCloseTo(fresh, 6);
  expect(emitted.some((j) => j.id === sent.id && j.estimatedCostUsd !== builtIn)).toBe(false);
});
