// Attack: FAL's answers (or a hostile proxy, which the key guard may let both keys reach) name the
// billing (admin) key as they may name the ordinary one: in a platform error's text, as a billing
// event's model, as the request id of a request-history row, in a queue error. Only the key of the
// client (or engine) at hand was recognised: an error of the billing sync quoting the ordinary key, or
// of the price list quoting the billing key, reached the page (spend:sync, prices:refresh); a history
// row naming the billing key was adopted as the job's request id; a billing event naming a key was
// stored; a queue error quoting the billing key was stored and shown. Both keys are planted in the fake
// FAL's answers here, and neither may reach an error message, a log line, a stored row or an IPC answer.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import type { Engine } from '../../src/core/engine';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { addOne, waitForJob } from '../core/engine/harness';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { secretPiecesIn } from '../support/secret-pieces';

const MAIN_ID = '5f3c9a7e-1b2d-4c6e-8a0f-2d4b6c8e0a1b';
const MAIN_SECRET = '9d1e7a3b5c2f4e6a8b0c1d3e5f7a9b2c';
const ADMIN_ID = '0b8e2f4a-6c1d-4e3f-9a7b-5d2c8e1f0a3b';
const ADMIN_SECRET = 'c4a1f9e27b3d5068e1a2b4c6d8f0e3a5';
const MAIN = `${MAIN_ID}:${MAIN_SECRET}`;
const ADMIN = `${ADMIN_ID}:${ADMIN_SECRET}`;
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

function expectNoKeyIn(text: string, where: string): void {
  for (const secret of [MAIN_SECRET, ADMIN_SECRET]) {
    expect.soft(secretPiecesIn(secret, text.toLowerCase()), `${where}: a secret`).toEqual([]);
    expect.soft(secretPiecesIn(Buffer.from(secret).toString('base64url'), text), `${where}: a secret in base64`).toEqual([]);
  }
  for (const id of [MAIN_ID, ADMIN_ID]) expect.soft(secretPiecesIn(id, text), `${where}: a key id`).toEqual([]);
}

const targetOf = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
  new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);

let core: AppCore | undefined;
let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await core?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = fake = dir = undefined;
});

it('neither the ordinary nor the billing key, planted in FAL\'s answers, reaches an error, a log line, a stored row or an IPC answer', async () => {
  fake = await startFakeFal({ processingMs: 60, platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.25 } } } });
  dir = mkdtempSync(join(tmpdir(), 'i2m-attack-billing-key-'));
  const lines: string[] = [];
  const log = (...parts: unknown[]) => void lines.push(parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' '));
  const events: string[] = [];
  // The platform API's answers, as FAL (or a hostile proxy) sends them: `hostile` plants both keys.
  const hostile = { history: false, errors: false };
  const platformFetch: typeof fetch = async (input, init) => {
    const target = targetOf(input, init);
    if (hostile.errors && target.includes('api.fal.ai')) {
      const message = `denied for Key ${MAIN} (admin ${ADMIN}, secrets ${MAIN_SECRET} ${ADMIN_SECRET.toUpperCase()})`;
      return new Response(JSON.stringify({ error: { type: `authorization_error ${ADMIN_SECRET}`, message } }), { status: 403 });
    }
    const response = await fetch(input, init);
    if (!hostile.history || !target.includes('/models/requests/by-endpoint') || !response.ok) return response;
    const page = (await response.json()) as { items: Record<string, unknown>[] };
    return new Response(JSON.stringify({ ...page, items: page.items.map((item) => ({ ...item, request_id: ADMIN_SECRET })) }), { status: 200 });
  };
  core = createAppCore({
    dataDir: dir,
    keys: createMemoryKeyVault({ FAL_KEY: MAIN }),
    billingKeys: createMemoryKeyVault({ FAL_ADMIN_KEY: ADMIN }, 'FAL_ADMIN_KEY'),
    settings: createFileSettingsStore(join(dir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: log, warn: log, error: log },
    route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
    engineOverrides: { backoff: { baseMs: 20, capMs: 200 } },
    platformOverrides: { fetch: platformFetch, reconcile: { settleMs: 0, retryBaseMs: 10, retryMaxMs: 10 } },
  });
  await core.start((channel, payload) => void events.push(`${channel} ${JSON.stringify(payload)}`));
  const engine = core.engine as unknown as Engine;
  const answers: string[] = [];
  const call = async (channel: Parameters<AppCore['dispatch']>[0], input?: unknown) => {
    const answer = await core!.dispatch(channel, input as never);
    answers.push(`${channel} ${JSON.stringify(answer)}`);
    return answer;
  };

  // 1. A finished job, then billing events for it that name the keys (as its model).
  const paid = await addOne(engine);
  const done = await waitForJob(engine, paid, (job) => job.state === 'succeeded');
  const at = new Date(done.finishedAt! + 1000).toISOString();
  fake.setPlatform({
    extraBillingEvents: [
      { request_id: done.falRequestId, endpoint_id: `${TRIPO} ${ADMIN}`, timestamp: at, output_units: 0, cost_total: 0 },
      { request_id: done.falRequestId, endpoint_id: MAIN, timestamp: at, output_units: 0, cost_total: 0 },
    ],
  });
  await call('spend:sync');
  await call('spend:jobCosts', { ids: [paid] });

  // 2. Every platform call fails with both keys in FAL's words: spend sync, prices, reconciliation.
  hostile.errors = true;
  await call('spend:sync');
  await call('prices:refresh');
  hostile.errors = false;

  // 3. A submit whose answer is lost; FAL's history lists it under the billing key's secret.
  fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const uncertain = await addOne(engine);
  await waitForJob(engine, uncertain, (job) => job.state === 'needs_attention');
  hostile.history = true;
  const report = (await call('reconcile:run')) as { ok: boolean; data: { adopted: unknown[] } };
  expect(report).toMatchObject({ ok: true, data: { adopted: [] } });
  expect(engine.getJob(uncertain)).toMatchObject({ state: 'needs_attention', falRequestId: null });
  expect(lines.join('\n')).toMatch(/names the FAL key|names a FAL key/);
  hostile.history = false;

  // 4. A queue error that quotes the billing key.
  fake.script({ op: 'submit', fault: { kind: 'validation', detail: `image rejected for ${ADMIN} / ${ADMIN_SECRET.toUpperCase()}` } });
  const refused = await addOne(engine);
  await waitForJob(engine, refused, (job) => job.state === 'failed');
  await call('jobs:list');

  await core.stop();
  core = undefined;
  expectNoKeyIn(answers.join('\n'), 'an IPC answer');
  expectNoKeyIn(events.join('\n'), 'an event to the page');
  expectNoKeyIn(lines.join('\n'), 'a log line');
  for (const file of readdirSync(dir).filter((f) => f.startsWith('image2model.db'))) expectNoKeyIn(readFileSync(join(dir, file)).toString('latin1'), file);
}, 60_000);
