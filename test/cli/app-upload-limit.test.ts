// The app refuses a photo larger than its upload limit (Settings, uploadLimitMb in the data folder's
// settings.json); the CLI sent it anyway - to FAL, paid - up to its own built-in 50 MB. `convert` now
// applies the app's limit read from the same settings, as it does the long side (app-long-side), and
// says which file, the limit, and what to do.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../src/core/settings/migrate';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const work = mkdtempSync(join(tmpdir(), 'i2m-cli-upload-limit-'));
let fake: FakeFal;
beforeAll(async () => {
  fake = await startFakeFal({ processingMs: 20 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

it("convert refuses a photo over the app's upload limit, naming the file, the limit and what to do; nothing is sent", { timeout: 120_000 }, async () => {
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  // The app's settings: photos up to 1 MB (the default is 50).
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, settings: { uploadLimitMb: 1 } }));
  // Noise does not compress: a PNG of about 1.5 MiB.
  const raw = Buffer.alloc(720 * 720 * 3).map((_, i) => (i * 2654435761) >>> 24);
  const photo = join(work, 'big.png');
  writeFileSync(photo, await sharp(raw, { raw: { width: 720, height: 720, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer());
  expect(statSync(photo).size).toBeGreaterThan(1024 * 1024);

  const run = await runCli(['convert', photo, '--out', join(work, 'out'), '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
  });
  expect(fake.submissions).toHaveLength(0);
  expect(run.code).toBe(1);
  const rejected = jsonLines(run.stdout).find((line) => line.type === 'rejected');
  expect(rejected?.reason).toMatch(/^big\.png is 1\.\d+ MB; the limit is 1 MB \(the upload limit in the app's Settings\)\. Use a smaller file, or raise that limit in the app\.$/);
});
