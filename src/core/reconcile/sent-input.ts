// What a job's submit sent, as the reconciler compares it with FAL's request history: the exact input
// kept with the submit intent, or (rows from before it was kept) rebuilt as the runner builds it -
// a guess, which is why "kept" is asked separately (keepsSentInput).
import { getModel } from '../models/catalog';
import type { JobRow } from '../queue/store';

/** The exact input the submit sent (stored with the intent); older rows: rebuilt the way the runner builds it. */
export function rebuildSentInput(job: Pick<JobRow, 'submitInputJson' | 'endpoint' | 'inputUrl' | 'optionsJson' | 'preset'>): unknown {
  if (job.submitInputJson) {
    try {
      return JSON.parse(job.submitInputJson) as unknown;
    } catch {
      // fall through to rebuilding
    }
  }
  const model = getModel(job.endpoint);
  if (!model || job.inputUrl === null) return null;
  let options: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(job.optionsJson);
    if (parsed && typeof parsed === 'object') options = parsed as Record<string, unknown>;
  } catch {
    // stored options are always JSON; an empty object is the runner's fallback too
  }
  return model.buildInput({ urls: [job.inputUrl] }, job.preset, options);
}

/** Whether the job keeps the exact input its submit sent (anything else is rebuilt: a guess at it). */
export function keepsSentInput(job: Pick<JobRow, 'submitInputJson'>): boolean {
  return job.submitInputJson !== null && safeParse(job.submitInputJson) !== null;
}

/** Whether `value` holds the string `needle` anywhere (a row's stored input naming our upload). */
export function mentions(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value === needle;
  if (Array.isArray(value)) return value.some((item) => mentions(item, needle));
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => mentions(item, needle));
  return false;
}

export function safeParse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

