// One job's run, from a claimed row to a terminal state or back to the queue: picks the FAL or the
// offline steps, carries out cancels, and turns every error into the job's next state through the
// policy. Every write is fenced (job-writer.ts).
import type { FalClient } from '@fal-ai/client';
import { classifyError, type Classification } from '../fal/classify';
import { FalAlreadyCompletedError, FalHttpError } from '../fal/errors';
import { FollowTimeoutError } from '../fal/follow';
import { getModel } from '../models/catalog';
import { interruptReason, type WorkerContext } from '../queue/scheduler';
import type { JobPatch } from '../queue/store';
import { errorMessage, isRecord } from '../util/errors';
import { FalSteps, SUBMIT_UNCERTAIN_MESSAGE } from './fal-steps';
import { JobWriter } from './job-writer';
import { runOffline } from './offline-steps';
import { keptResultOf } from './stored-result';
import { endedPatch, needsAttentionPatch, releaseJob, SUBMIT_INTERRUPTED_MESSAGE } from './ownership';
import { decide } from './policy';
import type { RunContext, RunnerDeps } from './run-context';
import { JobFailure, LeaseLostError, StepError, SubmitSettled, SubmitUnrecorded } from './run-errors';

export const CANCEL_UNCERTAIN_MESSAGE =
  'Canceled while it was being sent to FAL: FAL may have accepted it and may still run (and charge) it. Check your FAL dashboard; nothing is sent again unless you retry.';

export async function runJob(deps: RunnerDeps, worker: WorkerContext): Promise<void> {
  await new JobRun(deps, worker).execute();
}

class JobRun {
  private readonly ctx: RunContext;
  private readonly fal: FalSteps;
  /** Stop or lease loss, also after a cancel (see WorkerContext.stopSignal). */
  private readonly stopSignal: AbortSignal;

  constructor(
    private readonly deps: RunnerDeps,
    worker: WorkerContext,
  ) {
    this.ctx = { deps, writer: new JobWriter(deps, worker.row), signal: worker.signal, acquireSlot: worker.acquireSlot, releaseSlot: worker.releaseSlot };
    deps.liveWriters.set(worker.row.id, this.ctx.writer);
    this.fal = new FalSteps(this.ctx);
    this.stopSignal = worker.stopSignal;
  }

  private get writer(): JobWriter {
    return this.ctx.writer;
  }

  private get row() {
    return this.ctx.writer.row;
  }

  async execute(): Promise<void> {
    try {
      if (this.row.cancelRequested) return await this.cancel();
      const model = getModel(this.row.endpoint);
      if (!model) throw new JobFailure('unknown_model', `This version of the app does not know the model "${this.row.endpoint}".`, true);
      if (model.provider === 'offline') await runOffline(this.ctx, model);
      else await this.fal.run(model);
    } catch (error) {
      try {
        await this.handleFailure(error);
      } catch (inner) {
        // The failure could not be recorded (the database refused, a bug): never leave the job
        // active until its lease runs out.
        this.deps.logger.error(`job ${this.row.id}: could not record its failure`, this.describe(inner));
        await this.lastResort(error);
      }
    } finally {
      try {
        this.writer.finish();
      } catch (error) {
        this.deps.logger.warn(`job ${this.row.id}: could not save its last progress`, this.describe(error));
      }
      if (this.deps.liveWriters.get(this.row.id) === this.writer) this.deps.liveWriters.delete(this.row.id);
    }
  }

  /**
   * After handleFailure itself failed: retries, for a few seconds, the safest end there is - needs
   * attention when a submit may have reached FAL, else back to the queue (an attempt spent). If the
   * database stays unusable, the lease expires and recovery does the same.
   */
  private async lastResort(original: unknown): Promise<void> {
    for (const pauseMs of [50, 250, 1000, 2500]) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (this.writer.lost) return;
      try {
        if (this.submitUncertain()) {
          this.writer.write(needsAttentionPatch('submit_uncertain', SUBMIT_UNCERTAIN_MESSAGE, this.deps.now()));
        } else {
          const attempts = this.row.attempts + 1;
          const message = `Something went wrong on this computer: ${this.describe(original)}`;
          if (attempts >= this.row.maxAttempts) this.fail('internal', message, false, { attempts });
          else releaseJob(this.writer, { attempts, nextAttemptAt: this.deps.now() + 1000 * attempts, message, errorCode: 'internal', errorMessage: message });
        }
        return;
      } catch (error) {
        if (error instanceof LeaseLostError) return;
        this.deps.logger.warn(`job ${this.row.id}: still cannot record its failure`, this.describe(error));
      }
    }
  }

  /** The submit was sent (or may have been) and FAL's request id is not stored. */
  private submitUncertain(): boolean {
    return this.row.submitStartedAt !== null && this.row.falRequestId === null;
  }

  // ---- cancel ------------------------------------------------------------------------------------

  /** Carries out a cancel: FAL is told (if it has the job); a job FAL already finished is kept. */
  private async cancel(): Promise<void> {
    const now = this.deps.now;
    const requestId = this.row.falRequestId;
    if (requestId === null && this.submitUncertain()) {
      // Canceled while the submit was on its way: FAL may have it (and run and charge it).
      this.writer.write(needsAttentionPatch('cancel_uncertain', CANCEL_UNCERTAIN_MESSAGE, now()));
      return;
    }
    if (requestId === null) {
      this.writer.write({ ...endedPatch('canceled', now()), message: 'Canceled' });
      return;
    }
    const fal = this.deps.fal();
    if (!fal && keptResultOf(this.row)) {
      // FAL finished it (its answer is kept): nothing runs there any more, and the paid model stays reachable.
      this.fail('result_download_failed', 'Canceled before its model was fetched. FAL had already made it (and charged for it): use Download again (free) to fetch it.', false);
      return;
    }
    if (!fal) {
      this.writer.write({ ...endedPatch('canceled', now()), message: 'Canceled here; without a key FAL could not be told, so it may still run and be charged.' });
      return;
    }
    if (this.row.state === 'downloading' || keptResultOf(this.row)) {
      // Its status said COMPLETED (or its answer is kept: FAL finished it, and may have forgotten it
      // since): there is nothing left to stop, and the result is paid for. Kept whatever FAL would
      // answer a cancel (a 5xx, a lost answer or a 404 used to discard it).
      await this.keepCompletedResult(fal, requestId);
      return;
    }
    // FAL removes a queued request; a running one only gets a signal its model may ignore (and FAL
    // may charge for it): the user is told so (FAL.md).
    const started = this.row.state === 'running';
    try {
      await fal.queue.cancel(this.row.endpoint, { requestId });
      const message = started ? 'Canceled; FAL was asked to stop it. It had already started, so FAL may still charge for it.' : 'Canceled; FAL was asked to stop the job.';
      this.writer.write({ ...endedPatch('canceled', now()), message }, `FAL cancel requested for ${requestId}`);
    } catch (error) {
      if (isAlreadyCompleted(error)) {
        await this.keepCompletedResult(fal, requestId);
        return;
      }
      const notFound = error instanceof FalHttpError && error.status === 404;
      this.writer.write(
        {
          ...endedPatch('canceled', now()),
          message: notFound ? 'Canceled' : 'Canceled here, but FAL could not be told; it may still run and be charged.',
        },
        `FAL cancel failed: ${this.describe(error)}`,
      );
    }
  }

  /**
   * Cancel came too late: FAL had finished (and charged) it, so the result is kept - for as long as a
   * cancel waits. The user asked to stop: a model that takes longer ends the job at once, its request
   * id kept for a free Download again.
   */
  private async keepCompletedResult(fal: FalClient, requestId: string): Promise<void> {
    this.writer.log('FAL had already finished this job; keeping the result');
    const model = getModel(this.row.endpoint);
    const timeUp = AbortSignal.timeout(this.deps.policy.cancelKeepMs);
    try {
      if (!model) throw new Error('unknown model');
      if (this.row.state === 'preparing') this.writer.write({ state: 'submitted' });
      // Its preview is not waited for (it may stall for a minute).
      await this.fal.collectResult(fal, model, requestId, AbortSignal.any([this.stopSignal, timeUp]), true);
    } catch (error) {
      const interrupted = interruptReason(this.stopSignal);
      if (error instanceof LeaseLostError || interrupted === 'lease_lost') return;
      if (interrupted === 'stop') {
        // Quitting must not wait for a download: the cancel stays requested and FAL keeps the
        // result, so the next run finds it ALREADY_COMPLETED again and fetches it then.
        releaseJob(this.writer, { message: 'Paused: the engine stopped; the finished result is fetched next time' });
        return;
      }
      if (timeUp.aborted) {
        this.fail(
          'result_download_failed',
          'Canceled while its model was downloading. FAL had already made it (and charged for it): use Download again (free) to fetch it.',
          false,
        );
        return;
      }
      const failure = keepFailure(error, this.deps.now());
      const why = this.deps.redact(failure.why);
      if (failure.stillAtFal) {
        // A canceled job never comes back (transitions.ts): failed keeps the paid result reachable.
        this.fail(
          'result_download_failed',
          `Canceled after FAL had already made it (and charged for it), but keeping the model failed: ${why}${/Download again/.test(why) ? '' : ' Use Download again (free) to fetch it.'}`,
          false,
        );
        return;
      }
      this.writer.tryWrite({ ...endedPatch('canceled', this.deps.now()), message: `Canceled; the finished result could not be kept: ${why}` });
    }
  }

  // ---- failures ----------------------------------------------------------------------------------

  private async handleFailure(error: unknown): Promise<void> {
    if (error instanceof LeaseLostError || error instanceof SubmitSettled) return;
    if (error instanceof SubmitUnrecorded) {
      // FAL has the job: keep its id with the job so a retry follows it instead of paying again.
      const message = `FAL accepted this job (request ${error.requestId}), but this computer could not record it: ${this.describe(error.cause)}. Use Download again (free) to pick it up.`;
      this.writer.tryWrite({ ...needsAttentionPatch('submit_unrecorded', message, this.deps.now()), falRequestId: error.requestId });
      return;
    }
    try {
      switch (interruptReason(this.ctx.signal)) {
        case 'lease_lost':
          return;
        case 'cancel':
          return await this.cancel();
        case 'stop':
          // Stopped while the submit was on its way, which then failed: FAL may have it (never back to the queue).
          if (this.submitUncertain()) return this.interrupted(error);
          releaseJob(this.writer, { message: 'Paused: the engine stopped' });
          return;
        default:
          break;
      }
      if (error instanceof StepError && error.cause instanceof FollowTimeoutError) {
        const ms = this.deps.policy.followTimeoutMs;
        const minutes = Math.round(ms / 60_000);
        const limit = minutes >= 1 ? `${minutes} min` : `${Math.round(ms / 1000)} s`;
        this.fail('fal_timeout', `FAL did not finish the job within ${limit}; it was given up (and FAL asked to stop it).`, true);
        this.cancelQuietly();
        return;
      }
      if (error instanceof StepError) return this.apply(error);
      if (error instanceof JobFailure) return this.fail(error.code, error.message, error.requestDone);
      this.deps.logger.error(`job ${this.row.id}: unexpected error`, this.describe(error));
      this.fail('internal', `Something went wrong on this computer: ${this.describe(error)}`, false);
    } catch (inner) {
      if (inner instanceof LeaseLostError) return;
      throw inner;
    }
  }

  /** Carries out the policy's decision for a failed FAL or download step. */
  private apply(error: StepError): void {
    const { deps } = this;
    const c = classifyError(error.cause, error.phase, deps.now());
    if (this.notYetListed(c)) {
      // Asked again shortly, no attempt spent: the grace bounds it (then it fails as FAL forgetting it).
      releaseJob(this.writer, { nextAttemptAt: deps.now() + 1000, message: `${c.message.replace(/\.$/, '')}, moments after accepting it; asking again.` });
      return;
    }
    const decision = decide(c, {
      attempts: this.row.attempts,
      maxAttempts: this.row.maxAttempts,
      rateLimitHits: deps.rateLimitHits.get(this.row.id) ?? 0,
      now: deps.now(),
      backoff: deps.policy.backoff,
      random: deps.random,
    });
    if (decision.kind === 'fail') {
      this.fail(decision.code, decision.message, decision.requestDone, decision.extra);
      return;
    }
    // A submit error that neither proved "not queued" nor was settled (an abort not of this run's making).
    if (this.submitUncertain()) return this.interrupted(error);
    if (decision.rateLimitHits !== undefined) {
      deps.rateLimitHits.set(this.row.id, decision.rateLimitHits);
      deps.stats?.recordRateLimit(this.row.endpoint);
    }
    if (decision.tell) deps.signals[decision.tell.signal](decision.tell.message);
    releaseJob(this.writer, decision.patch);
  }

  /** The submit left and ended without an answer: needs attention, as the next claim would find it. */
  private interrupted(error: unknown): void {
    this.writer.write(needsAttentionPatch('submit_interrupted', SUBMIT_INTERRUPTED_MESSAGE, this.deps.now()), this.describe(error));
  }

  /**
   * A status 404 moments after FAL gave the request id comes from a part of FAL (or a proxy) that does not
   * know it yet, not from FAL forgetting it: FAL runs and charges it.
   */
  private notYetListed(c: Classification): boolean {
    const since = this.row.submittedAt;
    return c.kind === 'fail' && c.code === 'request_not_found' && since !== null && this.deps.now() - since < this.deps.policy.newRequestGraceMs;
  }

  private fail(code: string, message: string, requestDone: boolean, extra: JobPatch = {}): void {
    if (this.submitUncertain()) {
      // Once a submit has left, a job is never failed-and-freely-retryable (the money rule).
      this.writer.write(needsAttentionPatch('submit_uncertain', `${SUBMIT_UNCERTAIN_MESSAGE} (${message})`, this.deps.now()), message);
      return;
    }
    this.writer.write({ ...endedPatch('failed', this.deps.now()), ...extra, errorCode: code, errorMessage: message, message, requestFinished: requestDone }, message);
    this.deps.logger.info(`job ${this.row.id} failed (${code}): ${message}`);
  }

  private cancelQuietly(): void {
    const fal = this.deps.fal();
    const requestId = this.row.falRequestId;
    if (fal && requestId) fal.queue.cancel(this.row.endpoint, { requestId }).catch(() => undefined);
  }

  private describe(error: unknown): string {
    return this.deps.redact(errorMessage(error));
  }
}

/**
 * Why keeping a finished result failed, and whether FAL still holds a result worth fetching again: not
 * when FAL is done with the request or the model itself was refused (not a GLB, too large, unsafe link).
 */
function keepFailure(error: unknown, nowMs: number): { stillAtFal: boolean; why: string } {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  if (error instanceof JobFailure) return { stillAtFal: !error.requestDone, why: sentence(error.message) };
  if (error instanceof StepError) {
    const c = classifyError(error.cause, error.phase, nowMs);
    return { stillAtFal: c.kind !== 'fail' || !c.requestDone, why: sentence(c.message) };
  }
  // Trouble on this computer (the database, a bug): FAL still has the result.
  return { stillAtFal: true, why: sentence(errorMessage(error)) };
}

function isAlreadyCompleted(error: unknown): boolean {
  if (error instanceof FalAlreadyCompletedError) return true;
  return error instanceof FalHttpError && isRecord(error.body) && error.body.status === 'ALREADY_COMPLETED';
}
