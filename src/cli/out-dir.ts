// The output folder a command writes to: checked at start (a file in its place is a usage error), made
// (and the user told so) once a model is about to be written there, as `convert --out models/` and
// `export --out prints/` in the README expect - a command that writes nothing leaves no empty folder.
// Made with makeFolder, not a recursive mkdir: that one never settles for paths like /proc/self/<new>.
import { stat } from 'node:fs/promises';
import { makeFolder } from '../core/util/make-folder';
import { errorMessage } from '../core/util/errors';

/** Whether the output folder is there (false: missing); a file in its place is a usage error. */
export async function checkOutputFolder(dir: string, usageError: (message: string) => Error): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) throw usageError(`The output folder ${dir} is a file, not a folder.`);
  return info !== null;
}

/** Makes a missing output folder and says so (not with --json); throws makeFolder's own error when it cannot. */
export async function makeOutputFolder(dir: string, json: boolean): Promise<void> {
  if ((await stat(dir).catch(() => null))?.isDirectory()) return;
  await makeFolder(dir);
  if (!json) process.stderr.write(`Created the output folder ${dir}\n`);
}

export async function ensureOutputFolder(dir: string, json: boolean, usageError: (message: string) => Error): Promise<void> {
  if (await checkOutputFolder(dir, usageError)) return;
  try {
    await makeOutputFolder(dir, json);
  } catch (error) {
    throw usageError(`Could not create the output folder ${dir}: ${errorMessage(error)}`);
  }
}
