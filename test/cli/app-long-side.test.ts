// A photo the app made into a model is known again by the sha256 of its prepared bytes, and those depend
// on the long side it is scaled to: the app's own (settings.json maxLongSide). The CLI used the default
// 2048 px whatever the folder's app used, so `convert` of a photo the app had already made (with the long
// side set to 4096) prepared other bytes and sent it to FAL - and paid - a second time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../../src/core/images';
import { SETTINGS_VERSION } from '../../src/core/settings/migrate';
import { createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

let h: Harness | undefined;
const work = mkdtempSync(join(tmpdir(), 'i2m-cli-long-side-'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

it("convert of a photo the app already made with its own long side finds that model, without a second FAL job", async () => {
  // The app's settings: photos scaled to 4096 px on their long side (the default is 2048).
  h = await createHarness({ start: false });
  await h.engine.close();
  writeFileSync(join(h.dataDir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, settings: { maxLongSide: 4096 } }));
  const app = await h.reopen({ inputLimits: { ...DEFAULT_INPUT_LIMITS, maxLongSide: 4096 } });

  // A photo longer than 2048 px, so the two long sides give different prepared bytes.
  const photo = join(work, 'wide.jpg');
  const raw = Buffer.alloc(3000 * 1000 * 3, 0).map((_, i) => (i * 7) % 251);
  writeFileSync(photo, await sharp(raw, { raw: { width: 3000, height: 1000, channels: 3 } }).jpeg().toBuffer());
  const added = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  expect(added.added).toHaveLength(1);
  await waitForJob(app, added.added[0]!.id, inState('succeeded'));
  await app.close();
  expect(h.fake.submissions).toHaveLength(1);

  const out = join(work, 'models');
  const run = await runCli(['convert', photo, '--preset', 'draft', '--out', out, '--data-dir', h.dataDir, '--fal-proxy', h.fake.url, '--json'], {
    env: { FAL_KEY: TEST_KEY },
  });
  expect(h.fake.submissions).toHaveLength(1);
  expect(run.code).toBe(0);
  expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1 });
}, 120_000);
