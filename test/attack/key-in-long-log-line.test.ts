// A model's log line that carries the key is shortened for display (200 characters). It used to be
// cut first and redacted after: a key straddling the cut no longer matched as a whole, and the start
// of its secret reached the queue row, the job's journal and the database. Redacted first, then cut.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';
import { secretPiecesIn } from '../support/secret-pieces';

const SECRET = 'LOGSECRETabcdef0123456789';
const KEY = `log-key-id-0001:${SECRET}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Any 8 characters in a row of the secret. */
const leaks = (text: string) => secretPiecesIn(SECRET, text);

describe('a long model log line that carries the key', () => {
  // The key at every place around the 200-character cut.
  for (const pad of [170, 180, 190, 195]) {
    it(`padding ${pad}: no piece of the secret reaches events, the journal or the database`, async () => {
      h = await createHarness();
      h.key.value = KEY;
      const line = `${'model says '.padEnd(pad, '.')} ${KEY} and more text after it to pass the cut`;
      h.fake.script({ op: 'submit', outcome: { kind: 'logLines', lines: [line] } });
      const id = await addOne(h.engine);
      const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
      expect(job.state).toBe('succeeded');

      const events = h.engine.jobEvents(id).map((e) => e.message ?? '');
      // The line was shown (shortened), so the test looked where it should.
      expect(events.some((message) => message.startsWith('model says'))).toBe(true);
      expect(leaks(JSON.stringify(h.jobs.get(id)))).toEqual([]);
      expect(leaks(events.join('\n'))).toEqual([]);
      const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
      try {
        const rows = db.prepare('SELECT * FROM job_events').all().concat(db.prepare('SELECT * FROM jobs').all());
        expect(leaks(JSON.stringify(rows))).toEqual([]);
      } finally {
        db.close();
      }
    });
  }
});
