// An error page padded with whitespace that echoes the key after it (a gateway's template): the body
// was cut at 2,000 characters and its whitespace squeezed afterwards, so the short remainder passed as
// FAL's words - with the key cut in two, and the start of its secret no longer matched by redaction.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';
import { secretPiecesIn } from '../support/secret-pieces';

const SECRET = 'PADSECRETabcdef0123456789';
const KEY = `pad-key-id-0001:${SECRET}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Any 8 characters in a row of the secret. */
const leaks = (text: string) => secretPiecesIn(SECRET, text);

describe('an error body padded with whitespace before the key', () => {
  // The 2,000-character cut lands 10 and 20 characters into the secret.
  for (const intoSecret of [10, 20]) {
    it(`cut ${intoSecret} characters into the secret: no piece of it reaches the job, its journal or the database`, async () => {
      h = await createHarness();
      h.key.value = KEY;
      const body = `${' '.repeat(2000 - 'pad-key-id-0001:'.length - intoSecret)}${KEY} was the key`;
      h.fake.script({ op: 'submit', fault: { kind: 'http', status: 500, body } });
      const id = await addOne(h.engine);
      const job = await waitForJob(h.engine, id, inState('needs_attention', 'failed', 'succeeded'));
      const events = h.engine.jobEvents(id).map((e) => e.message ?? '');
      expect(leaks(JSON.stringify(h.jobs.get(id)) + JSON.stringify(job) + events.join('\n'))).toEqual([]);
      const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
      try {
        expect(leaks(JSON.stringify(db.prepare('SELECT * FROM job_events').all().concat(db.prepare('SELECT * FROM jobs').all())))).toEqual([]);
      } finally {
        db.close();
      }
    });
  }
});
