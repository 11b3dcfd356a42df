// "Check FAL's records now" (reconcile:run) for jobs whose submit answer was lost: which jobs it can
// settle, and what a check found, in plain words for the review dialog.
import type { ChannelOutput } from '../../../../shared/contract';
import type { Job } from '../../../../shared/domain';

export type ReconcileReport = ChannelOutput<'reconcile:run'>;

/** A job FAL's records proved never received it (core/reconcile/messages.ts NOT_RECEIVED_CODE): nothing left to look up. */
const NOT_RECEIVED_CODE = 'submit_not_received';

/** A job that waits for FAL's records: it may have reached FAL, and no request id was kept. */
export function canCheckFalRecords(job: Pick<Job, 'state' | 'falRequestId' | 'errorCode'>): boolean {
  return job.state === 'needs_attention' && job.falRequestId === null && job.errorCode !== NOT_RECEIVED_CODE;
}

/** FAL's records proved this job never reached FAL: sending it again is charged once, not twice. */
export function provenNotReceived(job: Pick<Job, 'state' | 'errorCode'>): boolean {
  return job.state === 'needs_attention' && job.errorCode === NOT_RECEIVED_CODE;
}

export interface RecordsLine {
  tone: 'success' | 'info' | 'warning';
  text: string;
  /** What would let the app check lies in Settings (the FAL key). */
  fixInSettings: boolean;
}

/** “a.png”, “a.png” and “b.png”, “a.png”, “b.png”, “c.png” and 2 more. */
export function quotedNames(names: readonly string[]): string {
  const quoted = names.map((name) => `“${name}”`);
  if (quoted.length <= 1) return quoted[0] ?? 'this job';
  if (quoted.length <= 3) return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)!}`;
  return `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more`;
}

/** Why a job could not be settled (reconcile WaitReason), as the start of a sentence that names the jobs. */
/** `checkedAgain: false`: checking again cannot settle it (what was sent is not known), so no later check is promised. */
const WAITING: Record<string, { text: (names: string) => string; fixInSettings?: boolean; checkedAgain?: false }> = {
  no_key: {
    text: (names) => `No FAL key is set, so the app cannot look in FAL's records for ${names}. Add your FAL key in Settings, then check again.`,
    fixInSettings: true,
  },
  key_rejected: {
    text: (names) => `FAL did not accept your key, so the app cannot look in FAL's records for ${names}. Update the key in Settings, then check again.`,
    fixInSettings: true,
  },
  no_permission: {
    text: (names) =>
      `Your FAL key may not read FAL's request history, so the app cannot tell whether FAL received ${names}. Give the key that permission at fal.ai/dashboard/keys (or add a key that has it in Settings), then check again.`,
    fixInSettings: true,
  },
  no_payloads: {
    text: (names) => `FAL keeps no copy of this account's inputs (payload storage is off), so its records cannot show whether FAL received ${names}.`,
  },
  settling: { text: (names) => `FAL lists no request for ${names} yet; it can take a few minutes to list one. Nothing is sent twice meanwhile.` },
  unreadable_rows: {
    text: (names) => `FAL's request history lists a request the app could not read, and it may be ${names}: nothing can be concluded yet.`,
  },
  unknown_input: {
    text: (names) =>
      `The app no longer knows exactly what it sent for ${names} (the copy kept with the job is missing or damaged), so FAL's records cannot show whether FAL received it. Look for it in your FAL dashboard's request history before retrying: retrying may be charged twice.`,
    checkedAgain: false,
  },
  offline: { text: (names) => `FAL cannot be reached from this computer right now, so ${names} could not be checked.` },
  platform_down: { text: (names) => `FAL's platform API is not answering properly right now, so ${names} could not be checked.` },
};
const WAITING_OTHER = { text: (names: string) => `FAL's platform API gave an answer the app could not use, so ${names} could not be checked.` };

/**
 * What one check found, one line per finding: jobs FAL had received (followed now, nothing sent twice),
 * jobs it never received (safe to send again), jobs it could not settle (grouped by why, with when the
 * app looks again by itself), and earlier sends it settled (the core's own words). `nameOf` gives a
 * job's file name (null: no longer in the queue); `timeOf` a time of day.
 */
export function recordsLines(report: ReconcileReport, nameOf: (jobId: string) => string | null, timeOf: (epochMs: number) => string): RecordsLine[] {
  const names = (ids: readonly string[]) => {
    const known = ids.map(nameOf);
    const named = known.filter((name): name is string => name !== null);
    const gone = known.length - named.length;
    if (gone === 0) return quotedNames(named);
    const removed = gone === 1 ? 'a job no longer in the queue' : `${gone} jobs no longer in the queue`;
    return named.length === 0 ? removed : `${quotedNames(named)} and ${removed}`;
  };
  const lines: RecordsLine[] = [];
  for (const { jobId, requestId } of report.adopted) {
    lines.push({
      tone: 'success',
      text: `FAL had received ${names([jobId])} (request ${requestId}): the app follows that request now. Nothing is sent or charged twice.`,
      fixInSettings: false,
    });
  }
  const resubmitted = new Set(report.resubmitted);
  const absent = report.absent.filter((a) => !resubmitted.has(a.jobId)).map((a) => a.jobId);
  if (absent.length > 0) {
    lines.push({
      tone: 'info',
      text: `FAL never received ${names(absent)}: ${absent.length === 1 ? 'it was' : 'they were'} never charged, so sending ${absent.length === 1 ? 'it' : 'them'} again is safe.`,
      fixInSettings: false,
    });
  }
  if (report.resubmitted.length > 0) {
    lines.push({ tone: 'success', text: `FAL never received ${names(report.resubmitted)}: the app sends ${report.resubmitted.length === 1 ? 'it' : 'them'} again now (charged once).`, fixInSettings: false });
  }
  const byReason = new Map<string, { ids: string[]; nextCheckAt: number }>();
  for (const wait of report.waiting) {
    const group = byReason.get(wait.reason);
    if (group) {
      group.ids.push(wait.jobId);
      group.nextCheckAt = Math.min(group.nextCheckAt, wait.nextCheckAt);
    } else byReason.set(wait.reason, { ids: [wait.jobId], nextCheckAt: wait.nextCheckAt });
  }
  for (const [reason, { ids, nextCheckAt }] of byReason) {
    const words = WAITING[reason] ?? WAITING_OTHER;
    lines.push({
      tone: 'warning',
      text: 'checkedAgain' in words ? words.text(names(ids)) : `${words.text(names(ids))} The app also checks again by itself at ${timeOf(nextCheckAt)}.`,
      fixInSettings: 'fixInSettings' in words && words.fixInSettings === true,
    });
  }
  for (const past of report.pastFound) lines.push({ tone: 'info', text: past.message, fixInSettings: false });
  for (const past of report.pastAbsent) lines.push({ tone: 'info', text: past.message, fixInSettings: false });
  if (lines.length === 0) lines.push({ tone: 'info', text: "FAL's records had nothing left to settle: no job is waiting for an answer from FAL.", fixInSettings: false });
  return lines;
}

/** The check's report says what became of this job (followed, sent again, never received, still waiting). */
export function reportNamesJob(report: ReconcileReport, jobId: string): boolean {
  return (
    report.adopted.some((a) => a.jobId === jobId) ||
    report.resubmitted.includes(jobId) ||
    report.absent.some((a) => a.jobId === jobId) ||
    report.waiting.some((w) => w.jobId === jobId)
  );
}

/**
 * What happened to a job whose submit answer was lost, without what FAL's records showed since: the
 * review dialog says that once, in the check's result (the job's own message repeats it).
 */
export function lostAnswerCause(job: Pick<Job, 'errorCode'>): string {
  return job.errorCode === 'submit_interrupted'
    ? 'Image2Model (the app or the image2model command) stopped while it was sending this job to FAL, so it could not tell whether FAL received it.'
    : 'The app sent this job to FAL but did not get its answer, so it could not tell whether FAL received it.';
}


/**
 * Where a job stands, as far as what a check found about it goes: waiting for FAL's records, proven
 * never received, on its way (followed, or sent again), or ended.
 */
export type JobPhase = 'waiting' | 'not_received' | 'on_its_way' | 'succeeded' | 'failed' | 'canceled';

export function jobPhase(job: Pick<Job, 'state' | 'errorCode'>): JobPhase {
  if (job.state === 'needs_attention') return job.errorCode === NOT_RECEIVED_CODE ? 'not_received' : 'waiting';
  if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'canceled') return job.state;
  return 'on_its_way';
}

/**
 * Where a check left this job, read from its own report - not from the job's next change, which can
 * reach the window before or after the answer. A job the report does not name stays where it is.
 */
export function phaseAfterCheck(report: ReconcileReport, job: Pick<Job, 'id' | 'state' | 'errorCode'>): JobPhase {
  if (report.adopted.some((a) => a.jobId === job.id) || report.resubmitted.includes(job.id)) return 'on_its_way';
  if (report.absent.some((a) => a.jobId === job.id)) return 'not_received';
  if (report.waiting.some((w) => w.jobId === job.id)) return 'waiting';
  return jobPhase(job);
}
