// The names and views of a multi-image job's images as stored with the job (jobs.inputs_json) and
// its model (models.sources_json): written by the engine, read back leniently (a bad value shows as
// no set rather than breaking the job list).
import { z } from 'zod';
import { JobInputInfoSchema, type JobInputInfo } from '../../shared/domain';

const ListSchema = z.array(JobInputInfoSchema);

export function parseJobInputs(json: string | null): JobInputInfo[] {
  if (!json) return [];
  try {
    const parsed = ListSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function jobInputsJson(inputs: readonly JobInputInfo[]): string {
  return JSON.stringify(inputs.map(({ position, role, name }) => ({ position, role, name })));
}
