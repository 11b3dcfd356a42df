// Attack: past the submit (submit-key-as-request-id), two more answers name a request id the app stores:
// a result answer's X-Fal-Request-Id header (its X-Fal-Billable-Units are stored under that id in
// real_costs) and a row of FAL's request history (the reconciler adopts it as the job's request id). A
// hostile proxy answering with the key - or its id or secret half, in any case, or as base64 - there
// put it in the database (and, adopted, the window and every status URL). Both are now refused as the
// submit's answer is: the units are not recorded, the row is not adopted (and proves nothing: the job
// stays uncertain, never "not received"), and the key is stored nowhere.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { createFalPlatform, type FalPlatform } from '../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';
import { secretPiecesIn } from '../support/secret-pieces';

const KEY_ID = '5f3c9a7e-1b2d-4c6e-8a0f-2d4b6c8e0a1b';
const SECRET = '9d1e7a3b5c2f4e6a8b0c1d3e5f7a9b2c';
const KEY = `${KEY_ID}:${SECRET}`;

const PIECES = [
  ['the key id half', KEY_ID],
  ['the secret half', SECRET],
  ['the secret upper-cased', SECRET.toUpperCase()],
  ['the secret in base64 (URL alphabet)', Buffer.from(SECRET).toString('base64url')],
] as const;

/** No 8 characters of the key's halves in `text` (the secret in any case, or as base64). */
function expectNoKeyIn(text: string, where: string): void {
  expect(secretPiecesIn(SECRET, text.toLowerCase()), where).toEqual([]);
  expect(secretPiecesIn(KEY_ID, text), where).toEqual([]);
  expect(secretPiecesIn(Buffer.from(SECRET).toString('base64url'), text), where).toEqual([]);
}

function expectNoKeyInDatabase(dataDir: string): void {
  for (const file of readdirSync(dataDir).filter((f) => f.startsWith('image2model.db'))) {
    expectNoKeyIn(readFileSync(join(dataDir, file)).toString('latin1'), file);
  }
}

const targetOf = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
  new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);

const reconcile = useReconcileFixture();

let h: Harness | undefined;
let platform: FalPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await h?.close();
  platform = h = undefined;
});

for (const [name, id] of [['its own request id', null], ...PIECES] as const) {
  it(id === null ? 'a result answer naming its own request (control) records its units under it' : `a result answer naming ${name} in X-Fal-Request-Id records no units under it`, async () => {
    // The result answer (GET .../requests/<id>, not its status) comes back with the hostile header.
    const hostileHeader: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const target = targetOf(input, init);
      if ((init?.method ?? 'GET').toUpperCase() !== 'GET' || !/\/requests\/[^/?]+\/?(\?|$)/.test(target)) return response;
      const headers = new Headers(response.headers);
      if (id !== null) headers.set('x-fal-request-id', id);
      return new Response(await response.arrayBuffer(), { status: response.status, headers });
    };
    // The app's wiring: the engine's fetch reports units to the spend tracker (app-core.ts).
    let engineFetch: typeof fetch = fetch;
    h = await createHarness({ fake: { platform: { billableUnits: 2 } }, engine: { fetch: (input, init) => engineFetch(input, init) } });
    h.key.value = KEY;
    const keys = createMemoryKeyVault({});
    keys.set(KEY);
    platform = createFalPlatform({
      dataDir: h.dataDir,
      keys,
      billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
      settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: h!.fake.url }),
      logger: { info: () => undefined, warn: () => undefined },
      wake: () => undefined,
    });
    engineFetch = platform.engineFetch(hostileHeader);

    const jobId = await addOne(h.engine);
    const job = await waitForJob(h.engine, jobId, inState('succeeded'));
    expect(job.falRequestId).not.toBe(id);
    const db = openDatabase(h.dataDir);
    try {
      // Its own id (the control): the units are recorded under the job's request.
      expect(db.prepare('SELECT request_id FROM real_costs').pluck().all()).toEqual(id === null ? [job.falRequestId] : []);
    } finally {
      db.close();
    }
    await platform.stop();
    platform = undefined;
    expectNoKeyInDatabase(h.dataDir);
  });
}

for (const [name, id] of PIECES) {
  it(`a request-history row naming ${name} as its request id is not adopted; the job stays uncertain`, async () => {
    const rh = await reconcile.harness();
    rh.key.value = KEY;
    // FAL queues the submit, but its answer never arrives: the job is uncertain.
    rh.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const jobId = await addOne(rh.engine);
    await waitForJob(rh.engine, jobId, inState('needs_attention'));
    expect(rh.fake.submissions).toHaveLength(1);

    // FAL's request history lists that very submit (its input, its time) - under the hostile id.
    const hostileHistory: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!targetOf(input, init).includes('/models/requests/by-endpoint') || !response.ok) return response;
      const page = (await response.json()) as { items: Record<string, unknown>[] };
      expect(page.items.length).toBeGreaterThan(0);
      const items = page.items.map((item) => ({ ...item, request_id: id }));
      return new Response(JSON.stringify({ ...page, items }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const warnings: string[] = [];
    const reconciler = reconcile.reconciler(rh, {
      platform: { key: KEY, fetch: hostileHistory },
      config: { settleMs: 0 },
      logger: { info: () => undefined, warn: (message) => void warnings.push(message) },
    });
    const report = await reconciler.runOnce({ force: true });
    expect(report.adopted).toEqual([]);
    expect(report.absent).toEqual([]);
    expect(rh.engine.getJob(jobId)).toMatchObject({ state: 'needs_attention', falRequestId: null });
    expect(rh.fake.submissions).toHaveLength(1);
    expect(warnings.join('\n')).toContain('names the FAL key');
    expectNoKeyIn(warnings.join('\n'), 'the log');
    expectNoKeyIn(JSON.stringify(rh.engine.getJob(jobId)), 'the job');
    expectNoKeyInDatabase(rh.dataDir);
  });
}
