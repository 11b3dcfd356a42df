// Every key read in a run stays the user's secret, however many came after it. The engine and the
// platform work forgot the oldest past 16 keys (a user trying keys in Settings, a billing key saved
// again and again): an echo of the first key then went into a job's journal, the database, the price
// refresh's answer and the log. And past 8 keys every redaction built each key's pattern again.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactKeys } from '../../src/core/fal/redact';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { secretPiecesIn } from '../support/secret-pieces';
import { useTempAppCore } from '../support/temp-app-core';

const FIRST_SECRET = 'FIRSTSECRETabcdef0123456789';
const FIRST_KEY = `first-key-id-0001:${FIRST_SECRET}`;
const nthKey = (n: number) => `later-key-id-${n}:LATERSECRET${String(n).padStart(4, '0')}abcdef0123`;

let h: Harness | undefined;
let fake: FakeFal | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await fake?.close();
  fake = undefined;
});
const start = useTempAppCore('many-keys');

describe('the first of 18 keys, named by a model log line after the last', () => {
  it('is in no job, journal or database row', async () => {
    h = await createHarness();
    h.key.value = FIRST_KEY;
    await waitForJob(h.engine, await addOne(h.engine), inState('succeeded'));
    for (let n = 1; n <= 17; n++) {
      h.key.value = nthKey(n);
      await waitForJob(h.engine, await addOne(h.engine), inState('succeeded'));
    }
    h.fake.script({ op: 'submit', outcome: { kind: 'logLines', lines: [`loaded credential ${FIRST_KEY}`] } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded'));
    const events = h.engine.jobEvents(id).map((e) => e.message ?? '');
    expect(events.join('\n')).toContain('loaded credential [redacted]');
    expect(secretPiecesIn(FIRST_SECRET, JSON.stringify(h.jobs.get(id)) + JSON.stringify(job) + events.join('\n'))).toEqual([]);
    const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
    try {
      expect(secretPiecesIn(FIRST_SECRET, JSON.stringify(db.prepare('SELECT * FROM job_events').all()))).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('redacting with many keys held', () => {
  it('builds each key pattern once, not at every redaction', () => {
    const keys = [FIRST_KEY, ...Array.from({ length: 20 }, (_, i) => nthKey(i + 1))];
    redactKeys('warm', keys);
    // A pattern is built with each half's base64 forms (Buffer.concat); a cached one is not.
    const built = vi.spyOn(Buffer, 'concat');
    try {
      for (let i = 0; i < 3; i++) expect(redactKeys(`job ${i}: ${FIRST_KEY}`, keys)).toBe(`job ${i}: [redacted]`);
      expect(built).not.toHaveBeenCalled();
    } finally {
      built.mockRestore();
    }
  });
});

describe('the platform work after 17 more keys were set', () => {
  it('keeps the first out of the price refresh, the spend read and the log', async () => {
    fake = await startFakeFal();
    const logged: string[] = [];
    const log = (message: string, detail?: unknown) => void logged.push(`${message} ${String(detail ?? '')}`);
    const { core } = await start({
      options: {
        keys: createMemoryKeyVault({ FAL_KEY: FIRST_KEY }),
        route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
        logger: { info: log, warn: log, error: log },
      },
    });
    expect(await core.dispatch('prices:refresh', undefined)).toMatchObject({ ok: true, data: { ok: true } });
    for (let n = 1; n <= 17; n++) {
      expect(await core.dispatch('key:set', { key: nthKey(n), allowWeak: true })).toMatchObject({ ok: true });
      expect(await core.dispatch('prices:refresh', undefined)).toMatchObject({ ok: true });
    }
    fake.script({ op: 'platform', fault: { kind: 'http', status: 401, body: { error: { type: 'auth', message: `the credential ${FIRST_KEY} was revoked` } } }, times: Infinity });
    const answers = [await core.dispatch('prices:refresh', undefined), await core.dispatch('spend:sync', undefined)];
    const text = JSON.stringify(answers) + logged.join('\n');
    expect(text).toContain('[redacted] was revoked');
    expect(secretPiecesIn(FIRST_SECRET, text)).toEqual([]);
  });
});
