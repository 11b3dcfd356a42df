// Attack: a FAL key echoed back altered. A gateway or WAF in front of FAL that upper-cases what it
// quotes ("INVALID AUTHORIZATION: KEY ...") or a page that wraps it in a long line puts the key's
// secret in the job's error text in a form that is the same key to FAL (its secret is hex, any case)
// but not the same string: redaction matched the key only as typed, so it was stored, logged and
// shown to the renderer.
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
const settled = (job: Job) => ['succeeded', 'failed', 'needs_attention', 'canceled'].includes(job.state);

for (const [name, echo] of [
  ['upper-cased', `INVALID CREDENTIALS FOR ${KEY.toUpperCase()}`],
  ['upper-cased secret alone', `secret ${SECRET.toUpperCase()} is not valid`],
  ['mixed case', `bad key ${SECRET.slice(0, 16)}${SECRET.slice(16).toUpperCase()}`],
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
    const seen = JSON.stringify([job, h.jobs.get(id), logged]).toLowerCase();
    expect(seen).not.toContain(SECRET);
    await h.engine.close();
    const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
    try {
      for (const { name: table } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
        expect(JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()).toLowerCase(), table).not.toContain(SECRET);
      }
    } finally {
      db.close();
    }
  });
}
