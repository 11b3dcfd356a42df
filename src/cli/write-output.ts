// Writes a finished job's model into its output folder (the CLI's --out) once, however many runs
// follow the job. The copy is made (complete and synced, under a temp name) before the file is
// claimed: claimed first, a run killed while copying left the job claimed with no file, and no later
// `resume` wrote it. Killed before the claim, the job is still unclaimed and the next run writes it.
import { rename, unlink } from 'node:fs/promises';
import type { Engine } from '../core/engine';
import { exportModel } from '../core/library/export-model';
import { tempPathFor } from '../core/library/files';

/** The file the job's model is in (written now, or by another run); null for an unknown job. */
export async function writeJobOutput(engine: Engine, jobId: string, modelFile: string, target: string): Promise<string | null> {
  const temp = tempPathFor(target);
  try {
    await exportModel(modelFile, temp, 'glb');
    const copy = engine.claimOutputFile(jobId, target);
    if (copy?.claimed) await rename(temp, target);
    return copy?.file ?? null;
  } finally {
    // Gone after the rename; otherwise another run wrote the job's file, or something failed.
    await unlink(temp).catch(() => undefined);
  }
}
