// Attack: an image that joined a job on its way (the same photo under a second name, or a second
// convert with another --out) is owed its own file. Only the run that joined knew it: after Ctrl-C,
// `resume` wrote the job's own file alone, and the other name or folder never got its model. The
// files asked for are now kept with the job, and `resume` writes every one of them, once.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkGlbHeader } from '../../src/core/library/glb';
import { createHarness, type Harness } from '../core/engine/harness';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestJpeg, makeTestPng } from '../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const env = { FAL_KEY: 'joined-names-key-123456' };
const running = (line: string) => line.includes('"state":"running"');

describe('resume after Ctrl-C writes every file a joined image asked for', { timeout: 180_000 }, () => {
  let fake: FakeFal;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'i2m-joined-resume-'));
    fake = await startFakeFal({ holdJobs: true });
  });
  afterAll(async () => {
    await stopAllCliRuns();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** `resume` on `dataDir`, letting FAL finish once the job is followed again. */
  async function resume(dataDir: string) {
    const run = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
      env,
      onLine: (line) => {
        if (running(line)) fake.setOptions({ holdJobs: false });
      },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    return jsonLines(run.stdout).at(-1) as { type: string; outputs: { input: string; file: string }[] };
  }

  it('the same photo under two names in one convert: both models', async () => {
    fake.setOptions({ holdJobs: true });
    const before = fake.submissions.length;
    const bytes = await makeTestJpeg(320, 240, { seed: 921 });
    const [bowl, copy] = [join(work, 'bowl.jpg'), join(work, 'bowl copy.jpg')];
    writeFileSync(bowl, bytes);
    writeFileSync(copy, bytes);
    const out = join(work, 'models-names');
    const dataDir = join(work, 'data-names');
    const convert = await runCli(['convert', bowl, copy, '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env, interruptAfter: running });
    expect(convert.code).toBe(1);

    const summary = await resume(dataDir);
    expect(summary.outputs.map((o) => o.file).sort()).toEqual([join(out, 'bowl copy.glb'), join(out, 'bowl.glb')]);
    // The copy's model used to be missing: only bowl.glb was written.
    expect(readdirSync(out).sort()).toEqual(['bowl copy.glb', 'bowl.glb']);
    expect(checkGlbHeader(readFileSync(join(out, 'bowl copy.glb'))).ok).toBe(true);
    expect(fake.submissions).toHaveLength(before + 1);

    // Written once: another resume has nothing left to write.
    const again = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
    expect(again.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['bowl copy.glb', 'bowl.glb']);
  });

  it('a second convert with another --out that joined the job: both folders get the model', async () => {
    fake.setOptions({ holdJobs: true });
    const before = fake.submissions.length;
    const photo = join(work, 'kettle.jpg');
    writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 922 }));
    const [outA, outB] = [join(work, 'models-a'), join(work, 'models-b')];
    const dataDir = join(work, 'data-outs');
    const common = ['convert', photo, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'];
    expect((await runCli([...common, '--out', outA], { env, interruptAfter: running })).code).toBe(1);
    expect((await runCli([...common, '--out', outB], { env, interruptAfter: running })).code).toBe(1);

    const summary = await resume(dataDir);
    expect(summary.outputs.map((o) => o.file).sort()).toEqual([join(outA, 'kettle.glb'), join(outB, 'kettle.glb')]);
    // The second folder used to stay empty.
    expect(existsSync(join(outB, 'kettle.glb'))).toBe(true);
    expect(checkGlbHeader(readFileSync(join(outB, 'kettle.glb'))).ok).toBe(true);
    expect(readdirSync(outA)).toEqual(['kettle.glb']);
    expect(fake.submissions).toHaveLength(before + 1);
  });
});

describe('what a join keeps with the job', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a job made with no folder (in the app) takes the first joining --out as its own; other names and folders are kept beside it', async () => {
    h = await createHarness({ fake: { holdJobs: true }, start: false });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 923 }));
    const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' };
    const [job] = (await h.engine.addImages([{ kind: 'bytes', name: 'pear.png', bytes }], TRIPO)).added;
    const id = job!.id;
    expect(h.engine.jobOutputDir(id)).toBeNull();

    const joinAs = (name: string, outputDir: string) => h!.engine.addImages([{ kind: 'bytes', name, bytes }], { ...TRIPO, outputDir });
    expect((await joinAs('pear.png', '/out/a')).joined).toEqual([{ input: 'pear.png', jobId: id, item: 0 }]);
    expect(h.engine.jobOutputDir(id)).toBe('/out/a');
    expect(h.engine.joinedOutputs(id)).toEqual([]);
    await joinAs('pear copy.png', '/out/a');
    await joinAs('pear.png', '/out/b');
    await joinAs('pear.png', '/out/b'); // asked again (convert run again): kept once
    expect(h.engine.joinedOutputs(id)).toEqual([
      { dir: '/out/a', name: 'pear copy.png', file: null },
      { dir: '/out/b', name: 'pear.png', file: null },
    ]);
    // --force makes a new job and joins nothing.
    const forced = await h.engine.addImages([{ kind: 'bytes', name: 'pear.png', bytes }], { ...TRIPO, outputDir: '/out/c', force: true });
    expect(forced.added[0]!.id).not.toBe(id);
    expect(h.engine.joinedOutputs(id)).toHaveLength(2);
  });
});
