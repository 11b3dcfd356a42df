// What the user is told about an uncertain submission at each stage of reconciliation.
import { localDateTime } from '../../shared/local-time';

/** The reasons a check could not settle the question (stored in submit_checks.reason). */
export type WaitReason =
  | 'settling'
  | 'no_permission'
  | 'no_payloads'
  | 'unreadable_rows'
  | 'unknown_input'
  | 'offline'
  | 'platform_down'
  | 'no_key'
  | 'key_rejected'
  | 'platform_error';

/** errorCode of a job FAL has no record of: sending it again is safe (retry needs no confirmation). */
export const NOT_RECEIVED_CODE = 'submit_not_received';

/** A time in a message the user reads (job rows, the review dialog, the CLI): local, as the window's dialogs show times. */
export const shownTime = (ms: number): string => localDateTime(ms);

const REASONS: Record<Exclude<WaitReason, 'settling'>, string> = {
  no_permission: 'this FAL key may not read the request history (give it that permission at fal.ai/dashboard/keys)',
  no_payloads: 'FAL keeps no copy of the inputs for this account (payload storage is off), so requests cannot be told apart',
  unreadable_rows: "FAL's request history lists a request the app could not read, and it may be this one",
  unknown_input: "the app no longer knows exactly what it sent (the copy kept with the job is missing or damaged and cannot be rebuilt), so it cannot tell this request apart in FAL's records",
  offline: 'FAL cannot be reached from this computer right now',
  platform_down: "FAL's platform API is not answering properly right now",
  no_key: 'no FAL key is set',
  key_rejected: 'FAL did not accept the key',
  platform_error: "FAL's platform API gave an answer the app could not use",
};

export function waitingMessage(reason: WaitReason, nextCheckAt: number, settleAt: number): string {
  if (reason === 'settling') {
    return `The answer to this job's submit was lost. FAL lists no such request yet; the app keeps asking until ${shownTime(settleAt)} (FAL can take a few minutes to list a request). Nothing is sent twice meanwhile.`;
  }
  if (reason === 'unknown_input') {
    return `The answer to this job's submit was lost, and the app cannot find out whether FAL received it: ${REASONS[reason]}. Look for it in your FAL dashboard's request history before retrying: retrying may be charged twice.`;
  }
  return `The answer to this job's submit was lost, and the app cannot ask FAL whether it received it: ${REASONS[reason]}. It checks again by itself at ${shownTime(nextCheckAt)}. Retrying now may be charged twice.`;
}

/**
 * `latestSentAt`: the latest the submit can have left (reconciler.ts latestSendAt) - after a power cut
 * the job's send time is the arm's, possibly long before the POST, so the time since then would
 * overstate how long FAL had to list it; the time since the latest send is what the check proves.
 */
export function absentMessage(checkedAt: number, latestSentAt: number): string {
  const minutes = Math.max(0, Math.floor((checkedAt - latestSentAt) / 60_000));
  return `FAL has no record of this submission (checked at ${shownTime(checkedAt)}, at least ${minutes} min after it was sent). Sending it again is safe: it was never charged.`;
}

export const adoptedMessage = (requestId: string): string => `FAL had received this job (request ${requestId}); following it, no second submission.`;

/**
 * A never-received job whose photo and settings another job made, is making or may be charged for:
 * not resent by itself, and never called safe to send again. `checkedAt` null: the check's time is not known.
 */
export const madeAgainMessage = (checkedAt: number | null): string =>
  `FAL has no record of this submission${checkedAt === null ? '' : ` (checked at ${shownTime(checkedAt)})`}, so it was never charged - but it was not sent again by itself: the same photo with the same settings was made again as another job. Sending this one too would pay for a second model; retry it only if you want one, or remove it.`;

export const resubmitMessage = (checkedAt: number): string =>
  `FAL has no record of the first submission (checked at ${shownTime(checkedAt)}): sending it again.`;

/**
 * What settling an earlier send (job_past_sends) did, in plain words: `name` is the job's photo, or
 * null when the job was removed since; `usd` is the estimate counted as spend (null: none known).
 */
export function pastFoundMessage(name: string | null, sentAt: number, requestId: string, usd: number | null): string {
  const counted = usd === null ? 'counted among its requests (no estimate known; the billing sync reads its real cost)' : `counted as $${usd.toFixed(2)} of spend`;
  return `An earlier send of ${pastSendName(name)} (sent ${shownTime(sentAt)}) was found in FAL's records (request ${requestId}): ${counted}.`;
}

export function pastAbsentMessage(name: string | null, sentAt: number, checkedAt: number): string {
  return `An earlier send of ${pastSendName(name)} (sent ${shownTime(sentAt)}) was never received by FAL (checked at ${shownTime(checkedAt)}): no longer counted as a possible charge.`;
}

const pastSendName = (name: string | null): string => (name === null ? 'a job removed since' : `"${name}"`);
