// The offline path of one job: generate a relief model on this computer -> library.
import { throwIfAborted } from '../fal/follow';
import { PROGRESS } from '../fal/progress';
import type { ModelDefinition } from '../models/types';
import { errorMessage } from '../util/errors';
import { ingestModel } from './library-ingest';
import { inputPathOf, optionsOf, type RunContext } from './run-context';
import { JobFailure } from './run-errors';

export async function runOffline(ctx: RunContext, model: ModelDefinition): Promise<void> {
  const { deps, writer, signal } = ctx;
  await ctx.acquireSlot(); // the generator's CPU counts as a job at the same time
  writer.write({ state: 'running', progress: PROGRESS.running, message: 'Making the model on this computer' });
  const options = model.buildInput({ urls: [] }, writer.row.preset, optionsOf(ctx));
  let result: { glb: Uint8Array };
  try {
    result = await deps.generateRelief(inputPathOf(ctx), {
      ...options,
      onProgress: (fraction, message) =>
        writer.soft({ progress: PROGRESS.running + (PROGRESS.runningMax - PROGRESS.running) * fraction, message }),
    });
  } catch (error) {
    throwIfAborted(signal);
    throw new JobFailure('generation_failed', `The offline generator could not make a model: ${deps.redact(errorMessage(error))}`, true);
  }
  throwIfAborted(signal);
  writer.write({ state: 'downloading', progress: PROGRESS.downloading, message: 'Storing the model' });
  await ingestModel(ctx, { bytes: result.glb }, async () => null, 0);
}
