// FAL's answer for a finished request, kept with the job from its first fetch. FAL drops its copy of
// the answer after a while (an hour; minutes for large answers) while the model file's own link
// usually lives on for days: with the answer kept, Download again (and a run resumed after a crash)
// fetches the model without asking FAL, and a link that no longer works falls back to FAL's answer.
import { z } from 'zod';
import type { JobRow } from '../queue/store';

/** Larger answers are not kept (FAL's answers for a model are a few hundred bytes of links). */
const MAX_KEPT_CHARS = 64 * 1024;

// `linkFailed`: the answer's model link failed since the last Download again (queue/store-leases.ts
// and store-actions.ts read and clear it in SQL).
const KeptResultSchema = z.object({ requestId: z.string(), output: z.unknown(), linkFailed: z.literal(true).optional() });

/**
 * The column value that keeps `output` as the answer for `requestId`; null when it is too large to
 * keep. `redact` hides the FAL key should the answer echo it (a link that carried it no longer works
 * then, and FAL's answer is asked for again).
 */
export function keptResultJson(requestId: string, output: unknown, redact: (text: string) => string): string | null {
  const json = redact(JSON.stringify({ requestId, output }));
  return json.length <= MAX_KEPT_CHARS ? json : null;
}

/**
 * The kept answer for the job's current request, or null: none kept, unreadable, or kept for another
 * request (a later paid Generate again sends a new one).
 */
export function keptResultOf(row: Pick<JobRow, 'resultOutputJson' | 'falRequestId'>): { output: unknown; linkFailed: boolean } | null {
  if (row.resultOutputJson === null || row.falRequestId === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.resultOutputJson);
  } catch {
    return null;
  }
  const parsed = KeptResultSchema.safeParse(raw);
  if (!parsed.success || parsed.data.requestId !== row.falRequestId) return null;
  return { output: parsed.data.output, linkFailed: parsed.data.linkFailed === true };
}

/**
 * The kept answer marked: its link failed, so fetching the model needs FAL's answer again (and a
 * key). Without a key the job then waits for one instead of trying the same link in a loop.
 */
export function keptLinkFailedJson(json: string): string {
  return JSON.stringify({ ...(JSON.parse(json) as object), linkFailed: true });
}
