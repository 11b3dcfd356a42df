// The CLI as a user runs it: the real bin in a child process, real engine, fake FAL server or the
// offline generator, a temp data folder.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { checkGlbHeader } from '../../src/core/library/glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let work: string;
let photo: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-'));
  photo = join(work, 'photo.jpg');
  writeFileSync(photo, await makeTestJpeg(640, 480, { seed: 3 }));
  writeFileSync(join(work, 'notes.txt'), 'not an image at all');
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

// Each run starts Node and tsx afresh: seconds each, far more on a busy or fresh machine (no tsx cache yet).
describe('image2model CLI', { timeout: 180_000 }, () => {
  it('converts a photo with the offline generator when no key is set, and prints JSON lines', async () => {
    const out = mkdtempSync(join(work, 'out-'));
    const result = await runCli(['convert', photo, '--out', out, '--data-dir', join(work, 'data-offline'), '--json']);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    const jobs = lines.filter((l) => l.type === 'job');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.at(-1)).toMatchObject({ input: 'photo.jpg', state: 'succeeded', progress: 100 });
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', succeeded: 1, failed: 0, needsAttention: 0 });
    const file = (summary.outputs as { input: string; file: string }[])[0]!.file;
    expect(file).toBe(join(out, 'photo.glb'));
    expect(checkGlbHeader(readFileSync(file)).ok).toBe(true);

    const listed = await runCli(['list', '--data-dir', join(work, 'data-offline'), '--json']);
    const models = jsonLines(listed.stdout);
    expect(models).toHaveLength(1);
    const exported = join(out, 'again.stl');
    const exportRun = await runCli(['export', String(models[0]!.id), exported, '--data-dir', join(work, 'data-offline')]);
    expect(exportRun.code).toBe(0);
    expect(readFileSync(exported).byteLength).toBeGreaterThan(84);
  });

  it('reports a file that is not an image and exits 1', async () => {
    const out = mkdtempSync(join(work, 'out-'));
    const result = await runCli(['convert', join(work, 'notes.txt'), '--out', out, '--data-dir', join(work, 'data-bad'), '--json']);
    expect(result.code).toBe(1);
    const rejected = jsonLines(result.stdout).find((l) => l.type === 'rejected');
    expect(rejected).toMatchObject({ input: expect.stringContaining('notes.txt') });
    expect(String(rejected!.reason)).toMatch(/notes\.txt/);
  });

  it('exits 2 on usage errors: unknown model, FAL model without a key, missing arguments', async () => {
    expect((await runCli(['convert', photo, '--model', 'nope/model', '--data-dir', join(work, 'd2')])).code).toBe(2);
    const noKey = await runCli(['convert', photo, '--model', 'fal-ai/trellis', '--data-dir', join(work, 'd2')]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/FAL_KEY/);
    expect((await runCli(['convert'])).code).toBe(2);
    expect((await runCli(['convert', photo, '--concurrency', '99'])).code).toBe(2);
  });

  describe('against the fake FAL server', () => {
    let fake: FakeFal;
    beforeAll(async () => {
      fake = await startFakeFal({ processingMs: 2500 });
    });
    afterAll(async () => fake.close());

    it('Ctrl-C leaves the job resumable, and resume finishes it into the --out the job was made with', async () => {
      const dataDir = join(work, 'data-fal');
      // A folder that does not exist yet: made only once a model is written there (by the resume).
      const out = join(mkdtempSync(join(work, 'out-')), 'models');
      const env = { FAL_KEY: 'cli-test-key-123456' };
      const first = await runCli(['convert', photo, '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url], {
        env,
        interruptAfter: (line) => line.includes(': running'),
      });
      expect(first.code).toBe(1);
      expect(existsSync(out)).toBe(false);
      expect(fake.submissions).toHaveLength(1);

      // No --out: the job remembers where its result goes.
      const resumed = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
      expect(resumed.code).toBe(0);
      const summary = jsonLines(resumed.stdout).at(-1)!;
      expect(summary).toMatchObject({ type: 'summary', succeeded: 1, failed: 0 });
      expect(fake.submissions).toHaveLength(1);
      const file = (summary.outputs as { file: string }[])[0]!.file;
      expect(file).toBe(join(out, 'photo.glb'));
      expect(checkGlbHeader(readFileSync(file)).ok).toBe(true);
    }, 180_000);

    it('two resume runs at once both exit, with every job done once', async () => {
      const dataDir = join(work, 'data-two-resumes');
      const out = mkdtempSync(join(work, 'out-'));
      const inputs = [0, 1, 2].map((i) => join(work, `two-${i}.jpg`));
      await Promise.all(inputs.map(async (path, i) => writeFileSync(path, await makeTestJpeg(320, 240, { seed: 40 + i }))));
      const env = { FAL_KEY: 'cli-test-key-123456' };
      const before = fake.submissions.length;
      const first = await runCli(['convert', ...inputs, '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url, '--concurrency', '1', '--json'], {
        env,
        interruptAfter: (line) => line.includes('"state":"running"'),
      });
      expect(first.code).toBe(1);
      const [a, b] = await Promise.all([
        runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env }),
        runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env }),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      for (const run of [a, b]) expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', failed: 0, needsAttention: 0, pending: 0 });
      expect(fake.submissions.length - before).toBe(3);
      // Both runs followed the same jobs; each model is written to --out once, and runs name only those files.
      const written = ['two-0.glb', 'two-1.glb', 'two-2.glb'];
      expect(readdirSync(out).sort()).toEqual(written);
      const named = [a, b].flatMap((run) => (jsonLines(run.stdout).at(-1)!.outputs as { file: string }[]).map((o) => o.file));
      for (const file of named) expect(written.map((name) => join(out, name))).toContain(file);
    }, 240_000);
  });
});
