// An export's set journal (export/set-journal.ts) is what the next export's clean-up goes by: after a
// power cut it must still be on disk wherever the files it names are. It is synced (file, then its
// folder after the rename) before any temp file of the set is made, and again once the set is whole,
// before the temp files go (a lost 'whole' would leave the names of a whole set to be removed as half
// of one); a single model copy's journal is synced before the copy is made. The file calls are
// recorded in order (node:fs wrapped); nothing here cuts power.
import type * as Fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { journalTempFile } from '../../../src/core/export/set-journal';
import { writeNewFiles } from '../../../src/core/export/write';
import type { ExportFile } from '../../../src/core/export/pipeline';
import { tempPathFor } from '../../../src/core/library/files';

const calls = vi.hoisted(() => ({ log: [] as string[], fds: new Map<number, string>() }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  const { log, fds } = calls;
  const { basename: name } = await import('node:path');
  const open = ((path: string, flags: string, callback: (error: Error | null, fd: number) => void) =>
    actual.open(path, flags, (error, fd) => {
      if (!error) {
        fds.set(fd, path);
        log.push(`create ${name(path)}`);
      }
      callback(error, fd);
    })) as typeof actual.open;
  const openSync = ((path: string, flags?: Fs.OpenMode) => {
    const fd = actual.openSync(path, flags ?? 'r');
    fds.set(fd, path);
    return fd;
  }) as typeof actual.openSync;
  const fsync = ((fd: number, callback: (error: Error | null) => void) =>
    actual.fsync(fd, (error) => {
      if (!error) log.push(`fsync ${name(fds.get(fd) ?? '?')}`);
      callback(error);
    })) as typeof actual.fsync;
  const renameSync = ((from: string, to: string) => {
    actual.renameSync(from, to);
    log.push(`rename ${name(from)} -> ${name(to)}`);
  }) as typeof actual.renameSync;
  const linkSync = ((from: string, to: string) => {
    actual.linkSync(from, to);
    log.push(`link ${name(from)} -> ${name(to)}`);
  }) as typeof actual.linkSync;
  const unlinkSync = ((path: string) => {
    actual.unlinkSync(path);
    log.push(`unlink ${name(path)}`);
  }) as typeof actual.unlinkSync;
  const wrapped = { open, openSync, fsync, renameSync, linkSync, unlinkSync };
  return { ...actual, ...wrapped, default: { ...actual, ...wrapped } };
});

const JOURNAL = /^\.tmp-[0-9a-f]{12}-image2model-export-set\.json$/;
const text = (s: string) => new TextEncoder().encode(s);
const filesFor = (stem: string): ExportFile[] => [`${stem}.obj`, `${stem}.mtl`].map((name) => ({ name, format: 'obj', data: text(name), triangles: null }));

let out = '';
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'i2m-journal-sync-'));
  calls.log.length = 0;
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

/** The index in `log` (from `from`) where the journal was last made durable: its content synced, renamed into place, the folder synced. */
function journalSyncedAt(log: readonly string[], from = 0): number {
  for (let i = from; i < log.length; i++) {
    const renamed = /^rename (\S+) -> (\S+)$/.exec(log[i]!);
    if (!renamed || !JOURNAL.test(renamed[2]!)) continue;
    const contentSynced = log.slice(from, i).includes(`fsync ${renamed[1]}`);
    const folderSynced = log.indexOf(`fsync ${basename(out)}`, i + 1);
    if (contentSynced && folderSynced !== -1) return folderSynced;
  }
  return -1;
}

it('a set export syncs its journal before any file of the set is made, and again once the set is whole', async () => {
  let atCommitted = -1;
  await writeNewFiles(out, 'chair', filesFor, (what) => {
    if (what === 'committed') atCommitted = calls.log.length;
  });
  const log = [...calls.log];
  const firstTemp = log.findIndex((line) => /^create \.tmp-/.test(line) && !/export-set\.json$/.test(line));
  expect(firstTemp, log.join('\n')).toBeGreaterThan(0);
  const synced = journalSyncedAt(log);
  expect(synced, log.join('\n')).toBeGreaterThan(-1);
  expect(synced).toBeLessThan(firstTemp);

  // The set is whole from the last name given: the journal saying so is durable before 'committed'.
  const lastPlaced = log.findLastIndex((line) => /^(link|rename) \.tmp-\S+ -> chair\./.test(line));
  expect(lastPlaced, log.join('\n')).toBeGreaterThan(synced);
  const syncedWhole = journalSyncedAt(log, lastPlaced + 1);
  expect(syncedWhole, log.join('\n')).toBeGreaterThan(lastPlaced);
  expect(syncedWhole).toBeLessThan(atCommitted);
});

it('a model copy syncs its journal before the copy is made', async () => {
  const temp = tempPathFor(join(out, 'chair.glb'));
  const journal = await journalTempFile(out, temp);
  try {
    expect(journalSyncedAt(calls.log), calls.log.join('\n')).toBeGreaterThan(-1);
  } finally {
    await journal.remove();
  }
});
