// Attack: a FAL key echoed back altered. A gateway or WAF in front of FAL that upper-cases what it
// quotes ("INVALID AUTHORIZATION: KEY ...") or quotes it base64-encoded (as a Basic credential)
// puts the key's secret in the job's error text in a form that is the same secret to whoever reads
// it (hex in any case; base64 decodes) but not the same string: redaction matched the key only as
// typed, so it was stored, logged and shown to the renderer.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';
import { join } from 'node:path';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECRET = '5f0c2a9e7b1d4e3fa8c6b2d0e9f17a3c';
const KEY = `0b7e4c2a-9d1f-4e6b-8a3c-5f2e1d0c9b8a:${SECRET}`;
/** Runs of base64 (either alphabet) in `text` that decode, read from any of their first 4 characters, to something holding the secret. */
function base64Holding(text: string): string[] {
  return (text.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []).filter((run) =>
    [0, 1, 2, 3].some((skip) => Buffer.from(run.slice(skip).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1').toLowerCase().includes(SECRET)),
  );
}

const settled = (job: Job) => ['succeeded', 'failed', 'needs_attention', 'canceled'].includes(job.state);

for (const [name, echo] of [
  ['upper-cased', `INVALID CREDENTIALS FOR ${KEY.toUpperCase()}`],
  ['upper-cased secret alone', `secret ${SECRET.toUpperCase()} is not valid`],
  ['mixed case', `bad key ${SECRET.slice(0, 16)}${SECRET.slice(16).toUpperCase()}`],
  ['in base64', `bad key ${Buffer.from(KEY).toString('base64')} / ${Buffer.from(SECRET).toString('base64url')}`],
  ['inside a Basic credential', `refused Authorization: Basic ${Buffer.from(`me:${KEY}`).toString('base64')} (Basic ${Buffer.from(`ab:${SECRET}`).toString('base64')})`],
] as const) {
  it(`a 422 whose detail echoes the key ${name}: the secret is in no job text, event, log line or row`, async () => {
    const logged: string[] = [];
    const log = (message: string, ...rest: unknown[]) => void logged.push([message, ...rest.map((r) => (r instanceof Error ? r.message : String(r)))].join(' '));
    h = await createHarness({ start: false });
    await h.reopen({ logger: { info: log, warn: log, error: log } });
    h.key.value = KEY;
    h.fake.script({ op: 'submit', fault: { kind: 'validation', detail: echo } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, settled);
    expect(job.state).toBe('failed');
    // It really reached the job: FAL's words are in its message.
    expect(job.errorMessage).toMatch(/rejected the job's settings/);
    const seen = JSON.stringify([job, h.jobs.get(id), logged]);
    expect(seen.toLowerCase()).not.toContain(SECRET);
    expect(base64Holding(seen)).toEqual([]);
    await h.engine.close();
    const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
    try {
      for (const { name: table } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all());
        expect(rows.toLowerCase(), table).not.toContain(SECRET);
        expect(base64Holding(rows), table).toEqual([]);
      }
    } finally {
      db.close();
    }
  });
}
