// Uploading a multi-image job's images: each once, in order, its URL kept as soon as FAL gave it
// (fenced), so a retry or a resumed run reuses every upload already made.
import type { FalClient } from '@fal-ai/client';
import { PROGRESS } from '../fal/progress';
import type { SetInput } from '../models/input-set';
import { toAbsolutePath } from '../paths';
import { errorMessage } from '../util/errors';
import type { JobInput } from './job-inputs';
import type { RunContext } from './run-context';
import { JobFailure, LeaseLostError, step } from './run-errors';
import { readSmallFile } from '../util/quick-fs';
import { checkedUploadUrl } from './uploaded-url';

export async function uploadSetInputs(ctx: RunContext, fal: FalClient, inputs: readonly JobInput[]): Promise<SetInput[]> {
  const { deps, writer } = ctx;
  const uploaded: SetInput[] = [];
  let sent = 0;
  for (const input of inputs) {
    // The first image's URL lives in the job row (the one-image path), the others here.
    const known = input.position === 0 ? (writer.row.inputUrl ?? input.url) : input.url;
    if (known) {
      uploaded.push({ role: input.role, url: known });
      continue;
    }
    const share = (PROGRESS.uploaded - PROGRESS.uploading) * (uploaded.length / inputs.length);
    writer.soft({ progress: PROGRESS.uploading + share, message: `Uploading image ${uploaded.length + 1} of ${inputs.length}` });
    const bytes = await readImage(ctx, input);
    const url = checkedUploadUrl(await step('upload', () => fal.storage.upload(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: input.mime }))), deps.redact);
    deps.signals.online();
    if (!deps.inputs.setUrl(writer.row.id, input.position, writer.row.fence, url)) throw new LeaseLostError();
    if (input.position === 0) writer.write({ inputUrl: url });
    uploaded.push({ role: input.role, url });
    sent++;
  }
  if (sent > 0) writer.write({ progress: PROGRESS.uploaded, message: 'Images uploaded' });
  return uploaded;
}

async function readImage(ctx: RunContext, input: JobInput): Promise<Uint8Array> {
  try {
    return await readSmallFile(toAbsolutePath(ctx.deps.dirs.data, input.path));
  } catch (error) {
    const why = ctx.deps.redact(errorMessage(error));
    throw new JobFailure('input_missing', `The prepared copy of ${input.name} is missing (${why}). Add the images again.`, true);
  }
}
