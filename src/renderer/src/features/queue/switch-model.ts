// Which waiting jobs may get another generator, and which generators can make them. The core decides
// (jobs:setModel refuses a job that left for FAL); this only keeps the UI from offering what it refuses.
import type { Job } from '../../../../shared/domain';
import { inputSetProblem } from '../../../../shared/input-roles';
import type { ModelSummary } from '../../../../shared/models';

/** Waiting here and never sent to FAL. */
export function isSwitchable(job: Job): boolean {
  return job.state === 'queued' && job.falRequestId === null;
}

/** The generators that take this job's images (count and views). */
export function modelsFor(job: Job, models: readonly ModelSummary[]): ModelSummary[] {
  const roles = job.inputs && job.inputs.length > 0 ? job.inputs.map((input) => input.role ?? null) : [null];
  return models.filter((model) => inputSetProblem(model, roles) === null);
}

/**
 * The price the generator menu shows for `model`: the job's own estimate for the generator it has (its
 * options, priced again when FAL's prices arrive - what the spend will count), the generator's list
 * price for this preset for the others (loaded with the window, so possibly from before).
 */
export function switchPrice(job: Job, model: ModelSummary): number {
  return model.id === job.endpoint && job.estimatedCostUsd !== null ? job.estimatedCostUsd : model.priceByPreset[job.preset];
}
