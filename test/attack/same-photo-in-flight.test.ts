// The same photo with the same settings while its first job is still on its way: a convert run again
// after Ctrl-C (instead of `resume`), a photo dropped twice, two terminals. Only a finished model was
// recognised, so each of these submitted - and paid for - the photo a second time. Now the caller gets
// the job already on its way to follow; --force (or "make again") still makes a new one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkGlbHeader } from '../../src/core/library/glb';
import Database from 'better-sqlite3';
import { createHarness, waitForJob, type Harness } from '../core/engine/harness';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestJpeg, makeTestPng } from '../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the same photo again while its job runs', () => {
  it('a second add follows the job on its way: one submission; --force makes a new one', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 901 }));
    const first = await h.engine.addImages([{ kind: 'bytes', name: 'vase.png', bytes }], TRIPO);
    const again = await h.engine.addImages([{ kind: 'bytes', name: 'vase copy.png', bytes }], TRIPO);
    expect(again.added.map((job) => job.id)).toEqual(first.added.map((job) => job.id));
    expect(again.duplicates).toEqual([]);
    // Other settings are another job.
    const draft = await h.engine.addImages([{ kind: 'bytes', name: 'vase.png', bytes }], { ...TRIPO, preset: 'draft' });
    expect(draft.added[0]!.id).not.toBe(first.added[0]!.id);
    // Asked for: a new job.
    const forced = await h.engine.addImages([{ kind: 'bytes', name: 'vase.png', bytes }], { ...TRIPO, force: true });
    expect(forced.added[0]!.id).not.toBe(first.added[0]!.id);

    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.engine.listJobs()).toHaveLength(3);
    expect(h.fake.submissions).toHaveLength(3);
  });

  it('a photo dropped again right after its job was canceled makes a new job (it does not join the canceled one)', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 904 }));
    const first = await h.engine.addImages([{ kind: 'bytes', name: 'lamp.png', bytes }], TRIPO);
    const id = first.added[0]!.id;
    await waitForJob(h.engine, id, (job) => job.state === 'running');
    // A cancel requested from another window: the flag is set, its worker has not carried it out yet.
    expect(h.engine.getJob(id)!.state).toBe('running');
    const db = new Database(join(h.dataDir, 'image2model.db'));
    db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(id);
    db.close();
    const again = await h.engine.addImages([{ kind: 'bytes', name: 'lamp.png', bytes }], TRIPO);
    expect(again.added).toHaveLength(1);
    expect(again.added[0]!.id).not.toBe(id);
  });

  it('the same photo twice in one drop makes one job', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 902 }));
    const result = await h.engine.addImages(
      [
        { kind: 'bytes', name: 'duck.png', bytes },
        { kind: 'bytes', name: 'duck (1).png', bytes },
      ],
      TRIPO,
    );
    expect(result.added).toHaveLength(1);
    // The copy is told it joined the job this same call made (the app counts that job as added).
    expect(result.joined).toEqual([{ input: 'duck (1).png', jobId: result.added[0]!.id, sameCall: true, item: 1 }]);
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(1);
  });
});

describe('the same set of photos again while its job runs', () => {
  it('follows the job on its way: one submission', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const set = await Promise.all(
      (['front', 'left', 'back'] as const).map(async (role, i) => ({
        item: { kind: 'bytes' as const, name: `mug_${role}.png`, bytes: new Uint8Array(await makeTestPng(64, 64, { seed: 910 + i })) },
        role,
      })),
    );
    const MULTIVIEW = { endpoint: 'tripo3d/tripo/v2.5/multiview-to-3d' };
    const first = await h.engine.addSet(set, MULTIVIEW);
    const again = await h.engine.addSet(set, MULTIVIEW);
    expect(again.added.map((job) => job.id)).toEqual(first.added.map((job) => job.id));
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(1);
  });
});

describe('convert run again after Ctrl-C', { timeout: 180_000 }, () => {
  let fake: FakeFal;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'i2m-same-photo-'));
    // FAL holds the job running until the second run follows it (else that run may find it finished).
    fake = await startFakeFal({ holdJobs: true });
  });
  afterAll(async () => {
    await stopAllCliRuns();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('follows the job the first run left and writes its model, without a second submit', async () => {
    const photo = join(work, 'teapot.jpg');
    writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 903 }));
    const out = join(work, 'models');
    const args = ['convert', photo, '--out', out, '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'];
    const env = { FAL_KEY: 'same-photo-key-123456' };
    const first = await runCli(args, { env, interruptAfter: (line) => line.includes('"state":"running"') });
    expect(first.code).toBe(1);
    expect(fake.submissions).toHaveLength(1);

    const second = await runCli(args, {
      env,
      onLine: (line) => {
        if (line.includes('"state":"running"')) fake.setOptions({ holdJobs: false });
      },
    });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ file: join(out, 'teapot.glb') }] });
    expect(checkGlbHeader(readFileSync(join(out, 'teapot.glb'))).ok).toBe(true);
    expect(fake.submissions).toHaveLength(1);
  });

  it('a second convert with another --out joins the job and still writes its model into its own --out', async () => {
    fake.setOptions({ holdJobs: true });
    const before = fake.submissions.length;
    const photo = join(work, 'jug.jpg');
    writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 905 }));
    const [outA, outB] = [join(work, 'models-a'), join(work, 'models-b')];
    const common = [photo, '--data-dir', join(work, 'data-two-outs'), '--fal-proxy', fake.url, '--json'];
    const env = { FAL_KEY: 'same-photo-key-123456' };
    const first = await runCli(['convert', ...common, '--out', outA], { env, interruptAfter: (line) => line.includes('"state":"running"') });
    expect(first.code).toBe(1);

    const second = await runCli(['convert', ...common, '--out', outB], {
      env,
      onLine: (line) => {
        if (line.includes('"state":"running"')) fake.setOptions({ holdJobs: false });
      },
    });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    // It went where this run was told (it used to be written into the first run's --out only).
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ file: join(outB, 'jug.glb') }] });
    expect(checkGlbHeader(readFileSync(join(outB, 'jug.glb'))).ok).toBe(true);
    expect(fake.submissions).toHaveLength(before + 1);
  });

  it('the same photo under two names in one convert: one job, and a model for each name', async () => {
    fake.setOptions({ holdJobs: false });
    const before = fake.submissions.length;
    const bytes = await makeTestJpeg(320, 240, { seed: 906 });
    const [mug, copy] = [join(work, 'mug.jpg'), join(work, 'mug copy.jpg')];
    writeFileSync(mug, bytes);
    writeFileSync(copy, bytes);
    const out = join(work, 'models-names');
    const env = { FAL_KEY: 'same-photo-key-123456' };
    const run = await runCli(['convert', mug, copy, '--out', out, '--data-dir', join(work, 'data-names'), '--fal-proxy', fake.url, '--json'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fake.submissions).toHaveLength(before + 1);
    // The copy used to be dropped without a word: no file, no line in the summary.
    const summary = jsonLines(run.stdout).at(-1) as { outputs: { file: string }[] };
    expect(summary.outputs.map((o) => o.file).sort()).toEqual([join(out, 'mug copy.glb'), join(out, 'mug.glb')]);
    expect(checkGlbHeader(readFileSync(join(out, 'mug copy.glb'))).ok).toBe(true);
  });

  it('the same photo under two names whose job fails: both names are reported failed', async () => {
    fake.setOptions({ holdJobs: false });
    fake.script({ op: 'submit', fault: { kind: 'validation', detail: 'image too small' } });
    const bytes = await makeTestJpeg(320, 240, { seed: 907 });
    const [cup, copy] = [join(work, 'cup.jpg'), join(work, 'cup copy.jpg')];
    writeFileSync(cup, bytes);
    writeFileSync(copy, bytes);
    const env = { FAL_KEY: 'same-photo-key-123456' };
    const run = await runCli(['convert', cup, copy, '--out', join(work, 'models-failed'), '--data-dir', join(work, 'data-failed'), '--fal-proxy', fake.url, '--json'], { env });
    expect(run.code).toBe(1);
    // The copy used to be missing from the summary altogether (1 failed for the 2 photos asked for).
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 0, failed: 2 });
  });
});
