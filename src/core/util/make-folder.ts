// Creating a folder whose name came from outside (the export folder typed in the page, the output
// folder in the settings the page writes, the CLI's data folder). Node's mkdir({ recursive: true })
// never settles for some paths - /proc/self/<new> on Linux spins a libuv thread forever (four such
// calls stall every file operation in the process), and mkdirSync spins the process itself - so the
// missing levels are made one at a time with plain mkdir.
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** More new levels than any real folder of ours needs. */
const MAX_NEW_LEVELS = 32;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * The missing levels of `dir`, outermost first. Yields each path to look at and takes back what is
 * there (null: nothing), so the sync and async versions share one walk.
 */
function* missingLevels(dir: string): Generator<string, string[], Stats | null> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const info = yield current;
    if (info) {
      if (!info.isDirectory()) throw new Error(`${current} is not a folder`);
      return missing;
    }
    if (dirname(current) === current || missing.length >= MAX_NEW_LEVELS) throw new Error(`${dir} cannot be created`);
    missing.unshift(current);
  }
}

const missingIsNull = (error: unknown) => {
  if (codeOf(error) === 'ENOENT') return null;
  throw error;
};
const existingIsFine = (error: unknown) => {
  if (codeOf(error) !== 'EEXIST') throw error;
};

/** Makes `dir` and any missing parents; throws when it cannot (the caller words the message). */
export async function makeFolder(dir: string): Promise<void> {
  const walk = missingLevels(dir);
  let step = walk.next();
  while (!step.done) step = walk.next(await stat(step.value).catch(missingIsNull));
  for (const level of step.value) await mkdir(level).catch(existingIsFine);
}

/** makeFolder for synchronous callers (a logger, start-up). */
export function makeFolderSync(dir: string): void {
  const walk = missingLevels(dir);
  let step = walk.next();
  while (!step.done) step = walk.next(statSync(step.value, { throwIfNoEntry: false }) ?? null);
  for (const level of step.value) {
    try {
      mkdirSync(level);
    } catch (error) {
      existingIsFine(error);
    }
  }
}
