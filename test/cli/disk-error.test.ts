// A CLI run whose disk fails a sync (kept until a restart: db/wal-sync.ts) ends, saying why and what to
// do, with its unsent jobs still queued for a later `resume` - it neither waits for ever on the paused
// queue nor fails them one by one.
import Database from 'better-sqlite3';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main';
import { createHarness, pngItem, TEST_KEY, type Harness } from '../core/engine/harness';

const disk = vi.hoisted(() => ({ failing: false }));
vi.mock('../../src/core/util/quick-fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/util/quick-fs')>();
  return {
    ...real,
    // Only the WAL's fsync fails (as a disk under the database would).
    fsyncFd: async (fd: number) => {
      if (disk.failing && readlinkSync(`/proc/self/fd/${fd}`).endsWith('-wal')) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      return real.fsyncFd(fd);
    },
  };
});

let h: Harness | undefined;
afterEach(async () => {
  disk.failing = false;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

it.runIf(process.platform === 'linux')('resume on a disk that fails a sync ends saying why, with its jobs still queued', async () => {
  h = await createHarness({ start: false });
  await h.engine.addImages([await pngItem('a.png'), await pngItem('b.png')], {});
  await h.engine.close();
  disk.failing = true;
  vi.stubEnv('FAL_KEY', TEST_KEY);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await runCli(['resume', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url]);
  vi.restoreAllMocks();

  expect(code).toBe(1);
  expect(stdout).toMatch(/Paused: the disk reported an error while saving \(EIO: i\/o error, fsync\)\..* From the command line: check the disk, then run `image2model resume`\./);
  expect(h.fake.submissions).toHaveLength(0);
  const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
  try {
    expect(db.prepare('SELECT state FROM jobs').pluck().all()).toEqual(['queued', 'queued']);
  } finally {
    db.close();
  }
}, 30_000);
