// Writes a finished job's model into its output folder (the CLI's --out), and into each file an image
// that joined the job asked for, once, however many runs follow the job. The copy is made (complete and synced, under a temp name) before the file is
// claimed: claimed first, a run killed while copying left the job claimed with no file, and no later
// `resume` wrote it. Killed before the claim, the job is still unclaimed and the next run writes it;
// killed between the claim and the rename, the next run finds the claimed file missing and writes it.
import { access, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Engine } from '../core/engine';
import { exportModel } from '../core/library/export-model';
import { tempPathFor } from '../core/library/files';
import type { JoinedOutput, OutputClaim } from '../core/queue/output-copy';

/** The file the job's model is in (written now, or by another run); null for an unknown job. */
export function writeJobOutput(engine: Engine, jobId: string, modelFile: string, target: string): Promise<string | null> {
  return writeClaimed(modelFile, target, (file) => engine.claimOutputFile(jobId, file));
}

/** The same for a file an image that joined the job asked for (Engine.joinedOutputs). */
export function writeJoinedOutput(engine: Engine, jobId: string, output: JoinedOutput, modelFile: string, target: string): Promise<string | null> {
  return writeClaimed(modelFile, target, (file) => engine.claimJoinedOutput(jobId, output, file));
}

async function writeClaimed(modelFile: string, target: string, claim: (file: string) => OutputClaim | null): Promise<string | null> {
  const temp = tempPathFor(target);
  try {
    await exportModel(modelFile, temp, 'glb');
    const copy = claim(target);
    if (copy?.claimed) await rename(temp, target);
    // Claimed by a run killed before its copy was in place (claim, then rename): the file is missing
    // and nothing else would write it. This run's copy is the same model, so it goes there; a run
    // still renaming its own copy over it changes nothing.
    else if (copy && dirname(copy.file) === dirname(target) && !(await exists(copy.file))) await rename(temp, copy.file);
    return copy?.file ?? null;
  } finally {
    // Gone after the rename; otherwise another run wrote the job's file, or something failed.
    await unlink(temp).catch(() => undefined);
  }
}

function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
