// A job's row: its fields, what workers may write, and the conversions from SQL rows and to the
// public Job. Shared by the store and the engine.
import type { Job, JobState, Preset } from '../../shared/domain';
import { currentName } from '../../shared/current-names';
import { keptResultOf } from '../engine/stored-result';
import { parseJobInputs } from './job-inputs-json';

export interface JobRow {
  id: string;
  state: JobState;
  endpoint: string;
  provider: 'fal' | 'offline';
  preset: Preset;
  optionsJson: string;
  inputName: string;
  inputPath: string;
  inputSha256: string;
  /**
   * sha256 of a single-image job's original file (the photo as dropped or read, before it was
   * prepared): the same photo is known again by it too. Null for a set, and for jobs added before.
   */
  sourceSha256: string | null;
  inputMime: string;
  inputUrl: string | null;
  falRequestId: string | null;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  fence: number;
  cancelRequested: boolean;
  /** FAL is done with the stored request (failed/forgotten/expired): retry submits again. */
  requestFinished: boolean;
  progress: number;
  queuePosition: number | null;
  message: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  startedAt: number | null;
  /** When the submit was sent (marked just before the POST; set: it may have reached FAL). */
  submitStartedAt: number | null;
  /** When the submit intent was armed (written and fsynced before the slot wait; not sent yet). */
  submitArmedAt: number | null;
  /** The boot it was armed in (util/boot.ts): recovery trusts a missing send mark only in that boot. */
  submitArmedBoot: string | null;
  /** The exact input JSON sent with the submit (for matching FAL's request history later). */
  submitInputJson: string | null;
  /** Where a finished model is also written (the CLI's --out), or null. */
  outputDir: string | null;
  submittedAt: number | null;
  finishedAt: number | null;
  estimatedCostUsd: number | null;
  modelId: string | null;
  /** A multi-image job's images as the job shows them ([{position, role, name}] JSON); null for one image. */
  inputsJson: string | null;
  /** FAL's answer for its finished request, kept from the first fetch (engine/stored-result.ts). */
  resultOutputJson: string | null;
}

export type NewJob = Pick<
  JobRow,
  | 'id'
  | 'endpoint'
  | 'provider'
  | 'preset'
  | 'optionsJson'
  | 'inputName'
  | 'inputPath'
  | 'inputSha256'
  | 'inputMime'
  | 'maxAttempts'
  | 'createdAt'
  | 'estimatedCostUsd'
> & { message?: string | null; outputDir?: string | null; inputsJson?: string | null; sourceSha256?: string | null };

/** Columns a worker may write (camelCase -> column). */
export const WRITABLE = {
  state: 'state',
  inputUrl: 'input_url',
  falRequestId: 'fal_request_id',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  leaseOwner: 'lease_owner',
  leaseExpiresAt: 'lease_expires_at',
  cancelRequested: 'cancel_requested',
  requestFinished: 'request_finished',
  progress: 'progress',
  queuePosition: 'queue_position',
  message: 'message',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  startedAt: 'started_at',
  submitStartedAt: 'submit_started_at',
  submitArmedAt: 'submit_armed_at',
  submitArmedBoot: 'submit_armed_boot',
  submitInputJson: 'submit_input_json',
  submittedAt: 'submitted_at',
  finishedAt: 'finished_at',
  modelId: 'model_id',
  resultOutputJson: 'result_output_json',
} as const satisfies Partial<Record<keyof JobRow, string>>;

export type JobPatch = Partial<Pick<JobRow, keyof typeof WRITABLE>>;

/** What giving up a job's lease clears: the one definition, used by workers and the SQL below. */
export const LEASE_CLEARED = Object.freeze({ leaseOwner: null, leaseExpiresAt: null, queuePosition: null, nextAttemptAt: null }) satisfies JobPatch;

export const CLEAR_LEASE_SQL = (Object.keys(LEASE_CLEARED) as (keyof typeof LEASE_CLEARED)[]).map((key) => `${WRITABLE[key]} = NULL`).join(', ');

/** What dropping an armed submit intent clears (engine/fal-steps.ts): the one definition, for workers and the SQL below. */
export const ARM_CLEARED = Object.freeze({ submitArmedAt: null, submitArmedBoot: null }) satisfies JobPatch;

export const CLEAR_ARM_SQL = (Object.keys(ARM_CLEARED) as (keyof typeof ARM_CLEARED)[]).map((key) => `${WRITABLE[key]} = NULL`).join(', ');

export type EventKind = 'transition' | 'log' | 'error';

export interface JobEvent {
  id: number;
  jobId: string;
  at: number;
  kind: EventKind;
  fromState: JobState | null;
  toState: JobState | null;
  message: string | null;
}

export type Raw = Record<string, unknown>;

export function toRow(raw: Raw): JobRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(raw.id),
    state: raw.state as JobState,
    endpoint: String(raw.endpoint),
    provider: raw.provider as 'fal' | 'offline',
    preset: raw.preset as Preset,
    optionsJson: String(raw.options_json),
    inputName: String(raw.input_name),
    inputPath: String(raw.input_path),
    inputSha256: String(raw.input_sha256),
    sourceSha256: str(raw.source_sha256),
    inputMime: String(raw.input_mime),
    inputUrl: str(raw.input_url),
    falRequestId: str(raw.fal_request_id),
    attempts: Number(raw.attempts),
    maxAttempts: Number(raw.max_attempts),
    nextAttemptAt: num(raw.next_attempt_at),
    leaseOwner: str(raw.lease_owner),
    leaseExpiresAt: num(raw.lease_expires_at),
    fence: Number(raw.fence),
    cancelRequested: Number(raw.cancel_requested) === 1,
    requestFinished: Number(raw.request_finished) === 1,
    progress: Number(raw.progress),
    queuePosition: num(raw.queue_position),
    message: str(raw.message),
    errorCode: str(raw.error_code),
    errorMessage: str(raw.error_message),
    createdAt: Number(raw.created_at),
    startedAt: num(raw.started_at),
    submitStartedAt: num(raw.submit_started_at),
    submitArmedAt: num(raw.submit_armed_at),
    submitArmedBoot: str(raw.submit_armed_boot),
    submitInputJson: str(raw.submit_input_json),
    outputDir: str(raw.output_dir),
    submittedAt: num(raw.submitted_at),
    finishedAt: num(raw.finished_at),
    estimatedCostUsd: num(raw.estimated_cost_usd),
    modelId: str(raw.model_id),
    inputsJson: str(raw.inputs_json),
    resultOutputJson: str(raw.result_output_json),
  };
}

/** A queued FAL job the claim takes without a key (store-context.ts KEPT_LINK_USABLE_SQL, the same rule). */
function keptLinkUsable(row: JobRow): boolean {
  if (row.state !== 'queued' || row.resultOutputJson === null) return false;
  const kept = keptResultOf(row);
  return kept !== null && !kept.linkFailed;
}

/** The public view of a job row. */
export function toJob(row: JobRow): Job {
  const inputs = row.inputsJson ? parseJobInputs(row.inputsJson) : null;
  return {
    id: row.id,
    state: row.state,
    endpoint: row.endpoint,
    preset: row.preset,
    // A set or sample queued before today's naming rule is shown by it ("kettle", not "kettle and 2 more").
    inputName: currentName(row.inputName, inputs ? inputs.map((input) => input.name) : [row.inputName]),
    inputSha256: row.inputSha256,
    progress: Math.round(Math.min(100, Math.max(0, row.progress)) * 10) / 10,
    queuePosition: row.queuePosition,
    message: row.message,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    modelId: row.modelId,
    estimatedCostUsd: row.estimatedCostUsd,
    falRequestId: row.falRequestId,
    requestFinished: row.requestFinished,
    ...(inputs ? { inputs } : {}),
    ...(keptLinkUsable(row) ? { keptLink: true as const } : {}),
  };
}
