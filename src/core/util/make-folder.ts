// Creating a folder whose name came from outside (the export folder typed in the page, the output
// folder in the settings the page writes). Node's mkdir({ recursive: true }) never settles for some
// paths - /proc/self/<new> on Linux spins a libuv thread forever, and four such calls stall every file
// operation in the process - so the missing levels are made one at a time with plain mkdir.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** More new levels than any real export folder needs. */
const MAX_NEW_LEVELS = 32;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** Makes `dir` and any missing parents; throws when it cannot (the caller words the message). */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const info = await stat(current).catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT') return null;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw new Error(`${current} is not a folder`);
      break;
    }
    if (dirname(current) === current || missing.length >= MAX_NEW_LEVELS) throw new Error(`${dir} cannot be created`);
    missing.unshift(current);
  }
  for (const level of missing) {
    await mkdir(level).catch((error: unknown) => {
      if (codeOf(error) !== 'EEXIST') throw error;
    });
  }
}
