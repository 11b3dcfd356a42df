// Writes a finished job's model into its output folder (the CLI's --out), and into each file an image
// that joined the job asked for, once, however many runs follow the job. The copy is made (complete and synced, under a temp name) before the file is
// claimed: claimed first, a run killed while copying left the job claimed with no file, and no later
// `resume` wrote it. Killed before the claim, the job is still unclaimed and the next run writes it;
// killed between the claim and the placing, the next run finds the claimed file missing and writes it.
// The copy is put in place only where no file is (placeIfFree, as the desktop export): a file that took
// the name after it was picked (another export of the same name: the app, another run) is kept, and the
// claim moves to the next free name. A run that gives up (no free name, a disk error) gives its claim back.
import { access, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { freeExportPath } from '../core/auto-export';
import type { Engine } from '../core/engine';
import { exportModel } from '../core/library/export-model';
import { placeIfFree, tempPathFor, unlinkQuietly } from '../core/library/files';
import { journalTempFile } from '../core/export/set-journal';
import { MAX_NAME_TRIES, NoFreeNameError } from '../core/library/free-names';
import type { JoinedOutput, OutputClaim } from '../core/queue/output-copy';
import { setDisplayName } from '../shared/input-roles';
import { IMAGE_NAME_EXTENSIONS, nameWithoutExtension } from '../shared/name-from-file';
import { safeFileStem } from '../core/util/file-stem';

/**
 * The file name of a set's model (`<name>.glb`: setDisplayName, the name the app gives it, made a safe
 * file name as every export's is: "CON" would be Windows' console, ".a" a hidden file), or null for a
 * job of one image.
 */
export function setOutputName(names: readonly string[] | undefined): string | null {
  return names && names.length > 1 ? `${safeFileStem(setDisplayName(names))}.glb` : null;
}

/** Where a model goes: `<dir>/<name without its extension>.glb`, or `-2`, `-3`... when that name is taken. */
export interface OutputPlace {
  dir: string;
  /** The input's name (photo.jpg). */
  name: string;
}

interface Claims {
  claim: (file: string, replacing?: string) => OutputClaim | null;
  /** Takes back a name this run claimed and did not fill. */
  release: (file: string) => void;
}

/** The file the job's model is in (written now, or by another run); null for an unknown job. */
export function writeJobOutput(engine: Engine, jobId: string, modelFile: string, place: OutputPlace): Promise<string | null> {
  return writeClaimed(modelFile, place, {
    claim: (file, replacing) => engine.claimOutputFile(jobId, file, replacing),
    release: (file) => engine.releaseOutputFile(jobId, file),
  });
}

/** The same for a file an image that joined the job asked for (Engine.joinedOutputs). */
export function writeJoinedOutput(engine: Engine, jobId: string, output: JoinedOutput, modelFile: string, place: OutputPlace): Promise<string | null> {
  return writeClaimed(modelFile, place, {
    claim: (file, replacing) => engine.claimJoinedOutput(jobId, output, file, replacing),
    release: (file) => engine.releaseJoinedOutput(jobId, output, file),
  });
}

async function writeClaimed(modelFile: string, place: OutputPlace, { claim, release }: Claims): Promise<string | null> {
  // The photo's name without its extension, or a set's `<name>.glb` without `.glb`.
  const stem = nameWithoutExtension(place.name, [...IMAGE_NAME_EXTENSIONS, 'glb']);
  const temp = tempPathFor(join(place.dir, `${stem}.glb`));
  /** The name this run holds and has not filled yet: given back if it gives up (an error, no free name). */
  let held: string | null = null;
  // A run killed while copying leaves its temp file (a whole model) in the user's folder: journaled, the
  // next run writing there removes it.
  const journal = await journalTempFile(place.dir, temp);
  try {
    await exportModel(modelFile, temp, 'glb', undefined, { newTemp: true });
    let copy = claim(freeExportPath(place.dir, stem));
    for (let tries = 1; ; tries++) {
      if (!copy) return null;
      // Claimed by this run - or by a run killed before its copy was in place (claim, then place): the
      // file is missing and nothing else would write it. This run's copy is the same model, so it goes there.
      const mine = copy.claimed || (dirname(copy.file) === place.dir && !(await exists(copy.file)));
      if (!mine) return copy.file; // another run wrote the job's file
      held = copy.file;
      if ((await placeIfFree(temp, copy.file)) || (await sameContent(temp, copy.file))) {
        held = null;
        return copy.file;
      }
      // Another file took the name (the same model there: a run rescuing this claim put it in place first).
      if (tries >= MAX_NAME_TRIES) throw new NoFreeNameError(place.dir, `${stem}.glb`);
      copy = claim(freeExportPath(place.dir, stem), copy.file);
    }
  } catch (error) {
    // Left claimed, the job counted as written: a file another export later put under that name was
    // reported as its model, and no later run wrote it. Given back, the next `resume` writes it.
    if (held !== null) {
      try {
        release(held);
      } catch {
        // The database refused too: the error that stopped the copy is the one to report.
      }
    }
    throw error;
  } finally {
    // Still there after a link (a second name for the copy), or when another run wrote the job's file.
    await unlinkQuietly(temp);
    await journal.remove();
  }
}

function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/** The two files hold the same bytes (false when either cannot be read). */
async function sameContent(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([open(a, 'r').catch(() => null), open(b, 'r').catch(() => null)]);
  try {
    if (!fa || !fb) return false;
    const [sa, sb] = await Promise.all([fa.stat(), fb.stat()]);
    if (!sa.isFile() || !sb.isFile() || sa.size !== sb.size) return false;
    const [ba, bb] = [Buffer.alloc(1 << 20), Buffer.alloc(1 << 20)];
    for (let at = 0; at < sa.size; ) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, ba.length, at), fb.read(bb, 0, bb.length, at)]);
      if (ra.bytesRead === 0 || ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
      at += ra.bytesRead;
    }
    return true;
  } finally {
    await Promise.all([fa?.close(), fb?.close()]);
  }
}
