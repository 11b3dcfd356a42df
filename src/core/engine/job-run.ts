// One job's run, from a claimed row to a terminal state or back to the queue: picks the FAL or the
// offline steps, hands cancels to cancel-steps.ts, and turns every error into the job's next state through the
// policy. Every write is fenced (job-writer.ts).
import { classifyError, type Classification } from '../fal/classify';
import { FollowTimeoutError } from '../fal/follow';
import { getModel } from '../models/catalog';
import { interruptReason, type WorkerContext } from '../queue/worker-context';
import type { JobPatch } from '../queue/store';
import { TransitionError } from '../queue/transitions';
import { errorMessage } from '../util/errors';
import { FalSteps, SUBMIT_UNCERTAIN_MESSAGE } from './fal-steps';
import { JobWriter } from './job-writer';
import { runOffline } from './offline-steps';
import { carryOutCancel } from './cancel-steps';
import { endedPatch, needsAttentionPatch, releaseJob, SUBMIT_INTERRUPTED_MESSAGE } from './ownership';
import { decide } from './policy';
import type { RunContext, RunnerDeps } from './run-context';
import { JobFailure, LeaseLostError, StepError, SubmitSettled, SubmitUnrecorded } from './run-errors';
import { dataFolderGoneFailure } from './data-folder';

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

  /** Carries out a cancel (cancel-steps.ts). */
  private cancel(): Promise<void> {
    return carryOutCancel({
      ctx: this.ctx,
      fal: this.fal,
      stopSignal: this.stopSignal,
      submitUncertain: () => this.submitUncertain(),
      fail: (code, message, requestDone) => this.fail(code, message, requestDone),
      describe: (error) => this.describe(error),
    });
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
      // A file step failed because the data folder went away: say so, not 'something went wrong' or
      // 'the download kept failing' - FAL's request id stays, so Download again is free once it is back.
      if (this.deps.dataFolderGone() && !failedAtFal(error)) {
        const gone = dataFolderGoneFailure(this.deps.dirs.data, this.row.falRequestId !== null);
        return this.fail(gone.code, gone.message, gone.requestDone);
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
      if (error instanceof TransitionError) {
        this.deps.logger.error(`job ${this.row.id}: its state change was refused`, this.describe(error));
        return this.fail('internal', this.refusedMessage(error), false);
      }
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
      // A fresh link asked of FAL after its answer was read (FAL made the model): giving up is a failed download, charged.
      phase: error.afterAnswer ? 'download' : error.phase,
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

  /**
   * The job's own state change refused by the transition table (a bug: the database holds a state
   * this run did not expect): the run cannot go on. What the user can do depends on what FAL has.
   */
  private refusedMessage(error: TransitionError): string {
    const what = `This app could not move the job on (from ${error.from} to ${error.to}; a bug worth reporting)`;
    const requestId = this.row.falRequestId;
    if (requestId !== null) return `${what}. FAL has it as request ${requestId}: use Download again (free) to fetch its model.`;
    // Sent, its id not stored: fail() sets it aside as needs attention, with this as the reason.
    if (this.submitUncertain()) return what;
    return `${what}. Nothing was sent to FAL, so nothing was charged: Retry runs it again.`;
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

/** FAL's own answer ended the job (its run failed, it forgot the request...): not this computer's folder. */
function failedAtFal(error: unknown): boolean {
  return (error instanceof StepError && error.phase !== 'download') || (error instanceof JobFailure && error.requestDone);
}
