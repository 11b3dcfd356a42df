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
