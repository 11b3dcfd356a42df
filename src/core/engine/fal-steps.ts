// The FAL steps of one job: upload (once; the URL is kept) -> arm the submit intent (the exact input,
// fsynced) -> wait for a slot -> mark it sent -> submit -> request id stored -> follow (stream, else
// poll: follow-steps.ts) -> result -> download -> library (the last three in result-steps.ts).
// A job that already has a request id resumes following it and is never submitted again.
//
// Why arm, then mark: the intent must be on disk before a submit can leave, or a power cut could
// forget a paid job. Its fsync is done while the job waits for its slot, not between the slot and
// the POST. The mark (submit_started_at) is an ordinary commit, and a commit survives any crash of
// the process; only an OS crash or power cut can drop it, and then the machine has restarted. So
// recovery (queue/store-leases.ts) reads an armed job without a mark as "not sent" in the boot that
// armed it, and as "may have been sent" after a restart (util/boot.ts).
//
// Over 300 lines on purpose: the paid sequence (arm, mark, submit, record the id, resume) reads top
// to bottom in one file, where a reviewer checks the money rule; following the accepted job
// (follow-steps.ts) and what follows FAL's answer (result-steps.ts) are apart.
//
// Hook points: a submit becomes *uncertain* in FalSteps.submit (the catch: no definite answer);
// every FAL HTTP call's outcome is known in fal/client.ts guardedFetch.
import type { FalClient } from '@fal-ai/client';
import { classifyError, type Classification } from '../fal/classify';
import { refusedRequestId } from '../fal/request-id';
import { throwIfAborted } from '../fal/follow';
import { PROGRESS } from '../fal/progress';
import { buildSetInput, type SetInput } from '../models/input-set';
import type { ModelDefinition } from '../models/types';
import { errorMessage } from '../util/errors';
import { needsAttentionPatch, releaseJob, SUBMIT_INTERRUPTED_MESSAGE } from './ownership';
import { inputPathOf, optionsOf, type RunContext } from './run-context';
import { JobFailure, LeaseLostError, step, StepError, SubmitSettled, SubmitUnrecorded } from './run-errors';
import { collectResult } from './result-steps';
import { FalFollower } from './follow-steps';
import { uploadSetInputs } from './set-upload';
import { checkedUploadUrl } from './uploaded-url';
import { keptResultOf } from './stored-result';
import { currentBoot } from '../util/boot';
import { falQueuePosition } from '../queue/fal-queue-message';
import { ARM_CLEARED, type JobPatch } from '../queue/rows';
import { readSmallFile } from '../util/quick-fs';

export const SUBMIT_UNCERTAIN_MESSAGE =
  'The connection broke while sending this job to FAL, so it may or may not have been accepted (and charged). Check your FAL dashboard; retry to submit again (may be charged twice).';

const SUBMIT_NO_ID_MESSAGE =
  "FAL's answer to sending this job had no usable request id, so it may have been accepted (and charged) without the app being able to follow it. Check your FAL dashboard; retry to submit again (may be charged twice).";

/** A job the disk's failed sync holds (heldByDisk). */
const DISK_HOLD_MESSAGE = 'Waiting: the disk reported an error while saving, so nothing more is sent to FAL until Image2Model is restarted. Check the disk, then restart.';

/** What a job holds of a submit that was not sent (or that FAL's answer proves was not queued). */
const NOT_SENT: JobPatch = { submitStartedAt: null, submitInputJson: null, ...ARM_CLEARED };

/** A submit error whose answer proves FAL did not queue the job (or the request never reached FAL). */
export function submitNotQueued(c: Classification): boolean {
  if (c.kind === 'auth' || c.kind === 'rate_limit' || c.kind === 'offline') return true;
  // A definite refusal (4xx). A "timeout" failure means FAL had queued it and then gave up on it.
  return c.kind === 'fail' && c.code !== 'fal_timeout';
}

function submitUncertainMessage(c: Classification): string {
  if (c.kind === 'transient' && c.code === 'server_error') {
    return `${c.message} A gateway can answer that after FAL has queued the job, so it may run and be charged. Check your FAL dashboard; retry to submit again (may be charged twice).`;
  }
  return SUBMIT_UNCERTAIN_MESSAGE;
}

export class FalSteps {
  /** An upload made by this run, not stored yet. */
  private uploadedUrl: string | null = null;

  constructor(private readonly ctx: RunContext) {}

  private get row() {
    return this.ctx.writer.row;
  }

  /** The whole FAL path of a claimed job. */
  async run(model: ModelDefinition): Promise<void> {
    const { deps, writer, signal } = this.ctx;
    if (this.row.falRequestId === null && this.row.submitStartedAt !== null) {
      // A previous worker died between sending the submit and storing the id.
      writer.write(needsAttentionPatch('submit_interrupted', SUBMIT_INTERRUPTED_MESSAGE, deps.now()));
      return;
    }
    let fal = deps.fal();
    const kept = keptResultOf(this.row);
    const keptId = this.row.falRequestId;
    if (!fal && kept && !kept.linkFailed && keptId !== null) {
      // FAL finished it and its answer is kept: the model's own link needs no key. Only if that link
      // fails is FAL's answer needed again, and the job waits for a key then (collectResult).
      deps.warmGlbCheck();
      writer.softState({ state: 'submitted', message: 'Fetching the model FAL made' });
      writer.log(`Resuming FAL request ${keptId}: it had finished; fetching its model from its kept link (no FAL key needed)`);
      await this.collectResult(null, model, keptId, signal);
      return;
    }
    if (!fal) {
      deps.signals.noKey();
      // A kept answer this code cannot use (edited in the database: a field twice, a null mark) may
      // still pass the claim's SQL test, and the job would be claimed again at once, in a loop that
      // starves the process. It is of no use anyway (FAL is asked once a key comes): it goes.
      const unusable = !kept && this.row.resultOutputJson !== null;
      releaseJob(writer, { message: 'Waiting for a FAL key', ...(unusable && { resultOutputJson: null }) });
      return;
    }
    deps.warmGlbCheck();
    let requestId = this.row.falRequestId;
    if (requestId === null) {
      if (this.heldByDisk()) return;
      const inputs = deps.inputs.list(this.row.id);
      // The upload needs no slot (FAL's limit counts generations): a freed slot goes to a job ready to be sent.
      const images = inputs.length > 1 ? await uploadSetInputs(this.ctx, fal, inputs) : [{ role: null, url: await this.ensureUploaded(fal) }];
      const input = this.buildInput(model, images);
      if (!(await this.arm(input))) return;
      try {
        await this.waitForSlot();
        throwIfAborted(signal);
      } catch (error) {
        writer.tryWrite(NOT_SENT); // stopped or canceled while waiting: nothing was sent
        throw error;
      }
      // The wait may have been long: what holds FAL jobs back now (the key removed or rejected, the
      // spending cap, offline) holds this one too, as if it had not been claimed yet.
      fal = deps.fal();
      if (!fal || !deps.falAllowed(this.row.id)) {
        if (fal && this.heldByDisk()) return;
        const message = fal ? 'Waiting to be sent to FAL' : 'Waiting for a FAL key';
        releaseJob(writer, { message, ...NOT_SENT });
        return;
      }
      requestId = await this.submit(fal, model, input);
      throwIfAborted(signal);
    } else if (kept) {
      // Finished at FAL and its answer kept (Download again, or a run cut off while downloading): the
      // model is fetched from its link without a slot or FAL's status - FAL may have dropped both by now.
      writer.softState({ state: 'submitted', message: 'Fetching the model FAL made' });
      writer.log(`Resuming FAL request ${requestId}: it had finished; fetching its model`);
      await this.collectResult(fal, model, requestId, signal);
      return;
    } else {
      await this.waitForSlot();
      writer.write({ state: 'submitted', message: 'Checking on the job at FAL' }, `Resuming FAL request ${requestId}`);
    }
    await new FalFollower(this.ctx).follow(fal, requestId, signal);
    await this.collectResult(fal, model, requestId, signal);
  }

  private async waitForSlot(): Promise<void> {
    const { writer, signal } = this.ctx;
    throwIfAborted(signal);
    const slot = this.ctx.acquireSlot();
    // Said only when it really waits (a slot free now is granted before the next tick).
    const note = setImmediate(() => writer.soft({ message: 'Ready; waiting for a free slot (Jobs at the same time)' }));
    try {
      await slot;
    } finally {
      clearImmediate(note);
    }
  }

  private async ensureUploaded(fal: FalClient): Promise<string> {
    const { deps, writer } = this.ctx;
    if (this.row.inputUrl) return this.row.inputUrl;
    writer.soft({ progress: PROGRESS.uploading, message: 'Uploading the image' });
    const bytes = await this.readInput();
    const url = checkedUploadUrl(
      await step('upload', () => fal.storage.upload(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: this.row.inputMime }))),
      deps.redact,
    );
    deps.signals.online();
    // Stored with the submit intent, in its transaction (lost only if no submit follows: then it is
    // uploaded again, which costs nothing).
    this.uploadedUrl = url;
    writer.soft({ progress: PROGRESS.uploaded, message: 'Image uploaded' });
    return url;
  }

  private buildInput(model: ModelDefinition, images: SetInput[]): Record<string, unknown> {
    return images.length > 1
      ? buildSetInput(model, images, this.row.preset, optionsOf(this.ctx))
      : model.buildInput({ urls: images.map((image) => image.url) }, this.row.preset, optionsOf(this.ctx));
  }

  /**
   * The disk failed a sync, which only a restart clears (db/wal-sync.ts): the job goes back to the
   * queue unsent, not failed, and runs after the restart (queue-health holds FAL work meanwhile).
   */
  private heldByDisk(): boolean {
    if (this.ctx.deps.store.diskFailure() === null) return false;
    releaseJob(this.ctx.writer, { message: DISK_HOLD_MESSAGE, ...NOT_SENT });
    return true;
  }

  /**
   * Arms the submit: the exact input (for matching FAL's history later) and the boot, on disk before
   * the job waits for its slot. Nothing is sent yet, so a failure here leaves nothing to settle.
   * False: the disk failed, and the job is back in the queue (heldByDisk).
   */
  private async arm(input: Record<string, unknown>): Promise<boolean> {
    const { deps, writer, signal } = this.ctx;
    writer.write({
      submitInputJson: JSON.stringify(input),
      submitArmedAt: deps.now(),
      submitArmedBoot: currentBoot(),
      submitStartedAt: null,
      ...(this.uploadedUrl !== null && { inputUrl: this.uploadedUrl }),
    });
    try {
      await deps.store.syncToDisk();
      throwIfAborted(signal);
    } catch (error) {
      // Nothing was sent (the disk failed, or a stop or cancel came meanwhile): the intent goes.
      if (!signal.aborted && this.heldByDisk()) return false;
      writer.tryWrite(NOT_SENT);
      throw error;
    }
    return true;
  }

  private async submit(fal: FalClient, model: ModelDefinition, input: Record<string, unknown>): Promise<string> {
    const { deps, writer, signal } = this.ctx;
    // Marked sent before the POST leaves, in a commit of its own (no fsync: see the top of this file).
    // From here on, a process that dies leaves the job "may have been sent".
    writer.write({ submitStartedAt: deps.now(), message: 'Sending the job to FAL' });
    let answer: { request_id: string; queue_position?: number };
    try {
      answer = await step('submit', () => fal.queue.submit(model.id, { input }));
    } catch (error) {
      const c = classifyError(error instanceof StepError ? error.cause : error, 'submit', deps.now());
      if (submitNotQueued(c)) {
        // FAL's answer proves nothing was queued (or nothing reached it): a later attempt may submit.
        // FAL answered (429s are counted where the job waits, in job-run.ts).
        if (c.kind !== 'offline' && c.kind !== 'rate_limit') this.recordFailedSubmit(c.code);
        writer.tryWrite(NOT_SENT);
        throw error;
      }
      // Our own stop or cancel: the intent stays, so the next claim (or the cancel) treats the submit
      // as uncertain.
      if (c.kind === 'aborted' || signal.aborted) throw error;
      // No answer, or a 5xx/408/timeout that may have come after FAL queued it: FAL may run and
      // charge it. The user (or the reconciler) decides; never a silent resubmit.
      writer.write(needsAttentionPatch('submit_uncertain', submitUncertainMessage(c), deps.now()), c.message);
      throw new SubmitSettled();
    }
    // The key (or a piece of it) as the request id - a hostile proxy, a broken gateway - is no id
    // either (refusedRequestId). The journal line says so without it.
    const refused = refusedRequestId((answer as { request_id?: unknown } | null)?.request_id, deps.redact);
    if (refused !== null) {
      // FAL took the submit (a 2xx) but the id is unusable: following it would fail the job while FAL
      // runs and charges the real one. Uncertain, so FAL's records (the reconciler) can settle it.
      const why = refused === 'names_the_key' ? 'submit answered with the FAL key as its request id' : 'submit answered without a usable request id';
      writer.write(needsAttentionPatch('submit_uncertain', SUBMIT_NO_ID_MESSAGE, deps.now()), why);
      throw new SubmitSettled();
    }
    deps.signals.online();
    const position = falQueuePosition(answer.queue_position);
    writer.settlePending();
    writer.changed(await this.recordSubmission(answer.request_id, position));
    return answer.request_id;
  }

  private recordFailedSubmit(errorType: string): void {
    const { deps } = this.ctx;
    const finishedAt = deps.now();
    deps.stats?.recordRequestOutcome({
      jobId: this.row.id,
      endpoint: this.row.endpoint,
      requestId: null,
      status: 'failed',
      errorType,
      startedAt: this.row.submitStartedAt ?? finishedAt,
      finishedAt,
    });
  }

  /**
   * Stores the request id FAL gave, retrying a failing database for a while: it is the one thing
   * that makes the job safe. Gives up with SubmitUnrecorded (the job then needs attention, or the
   * lease-expiry recovery marks it so); never a plain failure.
   */
  private async recordSubmission(requestId: string, position: number | null) {
    const { deps } = this.ctx;
    let lastError: unknown = null;
    for (const pauseMs of [0, 50, 200, 500, 1000, 2000]) {
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      try {
        const row = deps.store.recordSubmission(this.row.id, this.row.fence, requestId, position, PROGRESS.submitted, deps.now());
        if (!row) {
          this.recordLate(requestId);
          throw new LeaseLostError();
        }
        return row;
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        lastError = error;
        deps.logger.warn(`job ${this.row.id}: could not store FAL request id ${requestId}; retrying`, errorMessage(error));
      }
    }
    throw new SubmitUnrecorded(requestId, lastError);
  }

  /**
   * The job was taken over while the POST was in flight (its lease ran out: recovery set it aside as
   * "may have been sent"): FAL's id is stored still if the job waits on this very send
   * (queue/store-late-submit.ts); the job is then followed by whichever worker claims it next.
   */
  private recordLate(requestId: string): void {
    const { deps } = this.ctx;
    const sentAt = this.row.submitStartedAt;
    if (sentAt === null) return;
    const row = deps.store.recordLateSubmission(this.row.id, { sentAt, requestId, at: deps.now() });
    if (!row) {
      if (deps.store.get(this.row.id)?.falRequestId === requestId) {
        deps.logger.info(`job ${this.row.id}: FAL's late answer confirms ${requestId}, which the job already follows`);
      } else {
        deps.logger.warn(`job ${this.row.id}: FAL accepted it as ${requestId} after the job had moved on; not stored (counted in the spend)`);
      }
      return;
    }
    deps.logger.info(`job ${this.row.id}: FAL's request id ${requestId} came after the lease was lost; stored, the job is followed again`);
    deps.onJob(row, true);
  }

  /** Result -> download -> library (result-steps.ts); also used by a cancel that came after FAL finished. */
  collectResult(fal: FalClient | null, model: ModelDefinition, requestId: string, signal: AbortSignal, previewIfReady = false): Promise<void> {
    return collectResult(this.ctx, fal, model, requestId, signal, previewIfReady);
  }

  private async readInput(): Promise<Uint8Array> {
    try {
      return await readSmallFile(inputPathOf(this.ctx));
    } catch (error) {
      const why = this.ctx.deps.redact(errorMessage(error));
      throw new JobFailure('input_missing', `The prepared copy of ${this.row.inputName} is missing (${why}). Add the image again.`, true);
    }
  }
}
