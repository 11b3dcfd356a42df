// Attack: the same photo added at the same moment by two processes on one data folder (the app and a
// CLI run, two CLI runs). Intake looked for a job on its way and inserted in two steps, so both
// processes could look, find nothing, and each insert a job: two paid submissions for one photo.
// The look and the insert are now one BEGIN IMMEDIATE transaction: one job, the other caller joins it.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPng } from '../fixtures/make-glb';
import { spawnGroup, stopGroup } from '../support/process-group';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'add-photo-child.ts');
const ROUNDS = 40;

interface Answer {
  path: string;
  added?: string[];
  joined?: { input: string; jobId: string }[];
  error?: string;
}

/** A child process adding photos; `next()` resolves with its next JSON line. */
function startChild(dataDir: string): { child: ChildProcess; next: () => Promise<Answer> } {
  const child = spawnGroup(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const { value, done } = await lines.next();
      if (done) throw new Error('the child ended early');
      return JSON.parse(String(value)) as Answer;
    },
  };
}

describe('the same photo added by two processes at once', { timeout: 120_000 }, () => {
  let work: string;
  let children: ReturnType<typeof startChild>[] = [];
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'i2m-same-photo-race-'));
  });
  afterAll(async () => {
    await Promise.all(children.map(({ child }) => stopGroup(child)));
    rmSync(work, { recursive: true, force: true });
  });

  it('makes one job per photo; the other process is told it joined that job', async () => {
    const dataDir = join(work, 'data');
    children = [startChild(dataDir), startChild(dataDir)];
    for (const { next } of children) expect(await next()).toEqual({ ready: true });

    const photos: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const photo = join(work, `photo-${round}.png`);
      writeFileSync(photo, await makeTestPng(48, 48, { seed: 7000 + round }));
      photos.push(photo);
      // Both processes get the photo at the same moment, and each adds it.
      for (const { child } of children) child.stdin!.write(`${photo}\n`);
      const answers = await Promise.all(children.map(({ next }) => next()));
      expect(answers.map((a) => a.error)).toEqual([undefined, undefined]);
      // Both follow the one job; exactly one of them joined it.
      const ids = new Set(answers.flatMap((a) => a.added ?? []));
      expect(ids.size, `round ${round}: ${JSON.stringify(answers)}`).toBe(1);
      const [jobId] = [...ids];
      expect(answers.flatMap((a) => a.joined ?? [])).toEqual([{ input: photo, jobId, item: 0 }]);
    }
    // --force still makes a new job, deliberately.
    children[0]!.child.stdin!.write(`force ${photos[0]}\n`);
    const forced = await children[0]!.next();
    expect(forced.joined).toEqual([]);
    expect(forced.added).toHaveLength(1);

    for (const { child } of children) child.stdin!.end();
    await Promise.all(children.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));

    const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
    const perPhoto = db.prepare('SELECT input_sha256, COUNT(*) AS n FROM jobs GROUP BY input_sha256').all() as { n: number }[];
    db.close();
    expect(perPhoto).toHaveLength(ROUNDS);
    // One job per photo, and the forced second job of the first.
    expect(perPhoto.map((row) => row.n).sort()).toEqual([...Array<number>(ROUNDS - 1).fill(1), 2]);
  });
});
