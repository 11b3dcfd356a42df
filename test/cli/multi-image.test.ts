// `convert --views` and `convert --together` as a user runs them: the real bin in a child process,
// the real engine, the fake FAL server; and the usage errors (exit 2) for sets that cannot work.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGlbHeader } from '../../src/core/library/glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestJpeg } from '../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const KEY = { env: { FAL_KEY: 'cli-test-key-123456' } };

let work: string;
let fake: FakeFal;
const shot = (name: string) => join(work, name);
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-multi-'));
  for (const [i, name] of ['mug_front.jpg', 'mug_left.jpg', 'mug_back.jpg', 'e.jpg', 'f.jpg', 'g.jpg'].entries()) {
    writeFileSync(shot(name), await makeTestJpeg(600, 600, { seed: 40 + i }));
  }
  mkdirSync(shot('folder'));
  fake = await startFakeFal({ processingMs: 50 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

describe('image2model convert with several images', () => {
  it('--views makes one Tripo Multiview model from named views, naming every input in --json', async () => {
    const out = mkdtempSync(join(work, 'out-'));
    const views = `front=${shot('mug_front.jpg')},left=${shot('mug_left.jpg')},back=${shot('mug_back.jpg')}`;
    const before = fake.submissions.length;
    const run = await runCli(['convert', '--views', views, '--out', out, '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'], KEY);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    const jobs = lines.filter((l) => l.type === 'job');
    expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
    expect(jobs.at(-1)).toMatchObject({
      input: 'mug',
      inputs: [
        { name: 'mug_front.jpg', role: 'front' },
        { name: 'mug_left.jpg', role: 'left' },
        { name: 'mug_back.jpg', role: 'back' },
      ],
      state: 'succeeded',
    });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ input: 'mug', file: join(out, 'mug.glb') }] });
    expect(checkGlbHeader(readFileSync(join(out, 'mug.glb'))).ok).toBe(true);
    const submission = fake.submissions.slice(before);
    expect(submission).toHaveLength(1);
    expect(submission[0]!.endpointId).toBe('tripo3d/tripo/v2.5/multiview-to-3d');
    expect(Object.keys(submission[0]!.input as object)).toEqual(expect.arrayContaining(['front_image_url', 'left_image_url', 'back_image_url']));
  });

  it('--together makes one Rodin model from the images in order', async () => {
    const out = mkdtempSync(join(work, 'out-'));
    const before = fake.submissions.length;
    const images = ['e.jpg', 'f.jpg', 'g.jpg'].map(shot);
    const run = await runCli(
      ['convert', '--together', ...images, '--model', 'fal-ai/hyper3d/rodin', '--out', out, '--data-dir', join(work, 'data'), '--fal-proxy', fake.url, '--json'],
      KEY,
    );
    expect(run.code).toBe(0);
    const job = jsonLines(run.stdout).filter((l) => l.type === 'job').at(-1)!;
    expect(job).toMatchObject({ state: 'succeeded', inputs: [{ name: 'e.jpg', role: null }, { name: 'f.jpg', role: null }, { name: 'g.jpg', role: null }] });
    // Named after the first photo (the names share nothing): not "e and 2 more.glb".
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ file: join(out, 'e.glb') }] });
    expect(readdirSync(out)).toEqual(['e.glb']);
    const sent = fake.submissions.slice(before);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.input as { input_image_urls: string[] }).input_image_urls).toHaveLength(3);
  });

  // The wording of every refusal is tested on planInputSet (input-set-args.test.ts); here, that a
  // refusal is a usage error (exit 2) with the message on stderr.
  it.each([
    [['--views', 'front=a.jpg,side=b.jpg'], /"side" is not a view: use front, left, back, right/],
    [['--together', 'IMG', 'IMG2'], /makes a model from one image; --together needs a multi-image model/],
    [['--together', 'IMG', 'FOLDER', '--model', 'fal-ai/hyper3d/rodin'], /is not an image file/],
  ])('refuses %j with a usage error', async (args, message) => {
    const real = args.map((a) =>
      a.replace('IMG2', shot('f.jpg')).replace(/^IMG$/, shot('e.jpg')).replace('=IMG', `=${shot('e.jpg')}`).replace('FOLDER', shot('folder')),
    );
    const run = await runCli(['convert', ...real, '--data-dir', join(work, 'data-usage')], KEY);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
