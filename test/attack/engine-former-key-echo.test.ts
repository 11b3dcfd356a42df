// A FAL key replaced in Settings is still the user's secret. An error for a job sent after the switch
// that names the old key (a proxy or gateway that had it echoes it back) must not put it in the job's
// message, its journal or the database: the engine kept out only the key it held now.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';
import { secretPiecesIn } from '../support/secret-pieces';

const OLD_SECRET = 'FORMERSECRETabcdef0123456789';
const OLD_KEY = `former-key-id-0001:${OLD_SECRET}`;
const NEW_KEY = 'current-key-id-0002:CURRENTSECRET9876543210';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a former key echoed in an error after the key was replaced', () => {
  it('no piece of it reaches the job, its journal or the database', async () => {
    h = await createHarness();
    h.key.value = OLD_KEY;
    const first = await addOne(h.engine);
    await waitForJob(h.engine, first, inState('succeeded'));
    // The user replaces the key; a gateway that saw the old one names it in its error page.
    h.key.value = NEW_KEY;
    h.fake.script({ op: 'submit', fault: { kind: 'http', status: 500, body: `the credential ${OLD_KEY} (secret ${OLD_SECRET}) was revoked` } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('needs_attention', 'failed', 'succeeded'));
    const events = h.engine.jobEvents(id).map((e) => e.message ?? '');
    expect(secretPiecesIn(OLD_SECRET, JSON.stringify(h.jobs.get(id)) + JSON.stringify(job) + events.join('\n'))).toEqual([]);
    const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
    try {
      const rows = JSON.stringify(db.prepare('SELECT * FROM job_events').all().concat(db.prepare('SELECT * FROM jobs').all()));
      expect(secretPiecesIn(OLD_SECRET, rows)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
