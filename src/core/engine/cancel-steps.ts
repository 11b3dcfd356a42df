// Carrying out a cancel: FAL is told if it has the job (a queued one is removed, a running one only
// asked to stop); a job sent but not confirmed needs attention; a job FAL already finished keeps its
// paid result, whatever FAL answers the cancel. Failures of a run are job-run.ts's.
import type { FalClient } from '@fal-ai/client';
import { classifyError } from '../fal/classify';
import { FalAlreadyCompletedError, FalHttpError } from '../fal/errors';
import { getModel } from '../models/catalog';
import { interruptReason } from '../queue/worker-context';
import { errorMessage, isRecord } from '../util/errors';
import type { FalSteps } from './fal-steps';
import { endedPatch, needsAttentionPatch, releaseJob } from './ownership';
import type { RunContext } from './run-context';
import { JobFailure, LeaseLostError, StepError } from './run-errors';
import { keptResultOf } from './stored-result';
import { CANCELED_AFTER_FINISH_CODE, FAL_RUN_FAILED_CODES, RESULT_UNREAD_CODE } from '../spend/charge-rule';
import { NOT_TOLD, NOT_TOLD_NO_KEY, RESULT_NOT_KNOWN, STARTED_MAY_CHARGE } from '../spend/possible-charge-text';

export const CANCEL_UNCERTAIN_MESSAGE =
  'Canceled while it was being sent to FAL: FAL may have accepted it and may still run (and charge) it. Check your FAL dashboard; nothing is sent again unless you retry.';

/** What a cancel uses of the run it ends (job-run.ts). */
export interface CancelHost {
  readonly ctx: RunContext;
  readonly fal: FalSteps;
  /** Stop or lease loss, also after a cancel (see WorkerContext.stopSignal). */
  readonly stopSignal: AbortSignal;
  /** The submit was sent (or may have been) and FAL's request id is not stored. */
  submitUncertain(): boolean;
  /** Fails the job (needs attention instead if a submit may have reached FAL). */
  fail(code: string, message: string, requestDone: boolean): void;
  /** An error's message, redacted. */
  describe(error: unknown): string;
}

export function carryOutCancel(host: CancelHost): Promise<void> {
  return new JobCancel(host).run();
}

class JobCancel {
  constructor(private readonly host: CancelHost) {}

  private get deps() {
    return this.host.ctx.deps;
  }

  private get writer() {
    return this.host.ctx.writer;
  }

  private get row() {
    return this.host.ctx.writer.row;
  }

  /** Carries out a cancel: FAL is told (if it has the job); a job FAL already finished is kept. */
  async run(): Promise<void> {
    const now = this.deps.now;
    const requestId = this.row.falRequestId;
    if (requestId === null && this.host.submitUncertain()) {
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
      this.host.fail('result_download_failed', 'Canceled before its model was fetched. FAL had already made it (and charged for it): use Download again (free) to fetch it.', false);
      return;
    }
    if (!fal) {
      this.writer.write({ ...endedPatch('canceled', now()), message: `Canceled here; without a key FAL could not be told${NOT_TOLD_NO_KEY}` });
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
      const message = started ? `Canceled; FAL was asked to stop it. ${STARTED_MAY_CHARGE}` : 'Canceled; FAL was asked to stop the job.';
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
          message: notFound ? 'Canceled' : `Canceled here, but FAL could not be told${NOT_TOLD}`,
        },
        `FAL cancel failed: ${this.host.describe(error)}`,
      );
    }
  }

  /**
   * Cancel came too late: FAL had finished it (and charged it, if it made the model), so the result is
   * kept - for as long as a cancel waits. The user asked to stop: a model that takes longer ends the job at once, its request
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
      await this.host.fal.collectResult(fal, model, requestId, AbortSignal.any([this.host.stopSignal, timeUp]), true);
    } catch (error) {
      const interrupted = interruptReason(this.host.stopSignal);
      if (error instanceof LeaseLostError || interrupted === 'lease_lost') return;
      if (interrupted === 'stop') {
        // Quitting must not wait for a download: the cancel stays requested and FAL keeps the
        // result, so the next run finds it ALREADY_COMPLETED again and fetches it then.
        releaseJob(this.writer, { message: 'Paused: the engine stopped; the finished result is fetched next time' });
        return;
      }
      if (resultUnread(error, timeUp.aborted, this.deps.now())) {
        // FAL's status said COMPLETED, which it says of a failed run too, and its answer was never read:
        // whether it made (and charged) the model is not known - a possible charge (spend/charge-rule.ts).
        const why = timeUp.aborted ? "FAL's result did not come in time." : this.deps.redact(keepFailure(error, this.deps.now()).why);
        this.host.fail(
          RESULT_UNREAD_CODE,
          `Canceled after FAL had ended it, but its result could not be read: ${why} ${RESULT_NOT_KNOWN}`,
          false,
        );
        return;
      }
      if (timeUp.aborted) {
        this.host.fail(
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
        this.host.fail(
          'result_download_failed',
          `Canceled after FAL had already made it (and charged for it), but keeping the model failed: ${why}${/Download again/.test(why) ? '' : ' Use Download again (free) to fetch it.'}`,
          false,
        );
        return;
      }
      if (!failure.made) {
        // FAL finished the request by failing its run: no model, and a possible charge like any run FAL failed.
        this.writer.tryWrite({ ...endedPatch('canceled', this.deps.now()), message: `Canceled; FAL had already ended it, and its run failed: ${why} FAL may charge a failed run that used GPU time.` });
        return;
      }
      // FAL made the model, so it charged for it (FAL-PLATFORM.md): counted as spent (spend/charge-rule.ts), as the message says.
      const message = `Canceled after FAL had already made it (and charged for it), but its model could not be kept: ${why}`;
      this.writer.tryWrite({ ...endedPatch('canceled', this.deps.now()), message, errorCode: CANCELED_AFTER_FINISH_CODE, errorMessage: message });
    }
  }
}

const RUN_FAILED: ReadonlySet<string> = new Set(FAL_RUN_FAILED_CODES);

/**
 * Fetching FAL's result failed (or the cancel's wait ran out) before its answer was read, with no answer
 * from FAL saying how the run ended (a 5xx, a cut connection, no answer): it may or may not have made the model.
 */
function resultUnread(error: unknown, timeUp: boolean, nowMs: number): boolean {
  if (!(error instanceof StepError) || error.phase !== 'result' || error.afterAnswer) return false;
  return timeUp || classifyError(error.cause, error.phase, nowMs).kind !== 'fail';
}

/**
 * Why keeping a finished result failed, and whether FAL still holds a result worth fetching again: not
 * when FAL is done with the request or the model itself was refused (not a GLB, too large, unsafe link).
 * `made`: FAL made the model (and charged for it) - all but a run FAL's result answer says failed (a result
 * never read is resultUnread's, before this).
 */
function keepFailure(error: unknown, nowMs: number): { stillAtFal: boolean; made: boolean; why: string } {
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  if (error instanceof JobFailure) return { stillAtFal: !error.requestDone, made: true, why: sentence(error.message) };
  if (error instanceof StepError) {
    const c = classifyError(error.cause, error.phase, nowMs);
    const runFailed = c.kind === 'fail' && error.phase !== 'download' && RUN_FAILED.has(c.code);
    return { stillAtFal: c.kind !== 'fail' || !c.requestDone, made: !runFailed, why: sentence(c.message) };
  }
  // Trouble on this computer (the database, a bug): FAL still has the result.
  return { stillAtFal: true, made: true, why: sentence(errorMessage(error)) };
}

function isAlreadyCompleted(error: unknown): boolean {
  if (error instanceof FalAlreadyCompletedError) return true;
  return error instanceof FalHttpError && isRecord(error.body) && error.body.status === 'ALREADY_COMPLETED';
}
