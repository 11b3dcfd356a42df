// The end of a FAL job: result -> download -> library. A paid result is precious: a failing download is
// retried with backoff, then the result is fetched again for a fresh URL and retried again; only then
// the job fails - with the request id kept, so "Download again" (free) can pick it up later.
import type { FalClient } from '@fal-ai/client';
import { classifyError } from '../fal/classify';
import { FalResultNotReadyError } from '../fal/errors';
import { PROGRESS } from '../fal/progress';
import { DownloadError, downloadToTemp, type DownloadedFile } from '../library/download';
import { keepFresh } from '../library/files';
import type { ModelDefinition } from '../models/types';
import { errorMessage, isRecord } from '../util/errors';
import { downloadPreview, dropPreview, ingestModel, storePreview } from './library-ingest';
import type { RunContext } from './run-context';
import { JobFailure, step, StepError } from './run-errors';
import { releaseJob } from './ownership';
import { dataFolderGoneFailure } from './data-folder';
import { keptLinkFailedJson, keptResultJson, keptResultOf } from './stored-result';

/**
 * Result -> download -> library, for a job FAL finished (also a cancel that came after FAL finished).
 * `previewIfReady` (a cancel keeping the result): a preview not in by the time the model is stored is
 * stopped, not waited for. `fal` null (no key): only the kept answer's link is tried; if FAL's answer
 * is needed after all, the job goes back to the queue to wait for a key.
 */
export async function collectResult(
  ctx: RunContext,
  fal: FalClient | null,
  model: ModelDefinition,
  requestId: string,
  signal: AbortSignal,
  previewIfReady = false,
): Promise<void> {
  const { deps, writer } = ctx;
  const row = () => writer.row;
  // Written with the library commit (or the failure), unless fetching takes longer than a flush.
  if (row().state !== 'downloading') writer.softState({ state: 'downloading', queuePosition: null, progress: PROGRESS.downloading, message: 'Fetching the result' });
  // FAL has finished with it (the state says so): the next job may be sent while this one's
  // model is fetched.
  ctx.releaseSlot();
  // The job given the slot sends its submit first (it goes out within this tick's microtasks).
  await new Promise<void>((resolve) => setImmediate(resolve));
  // Not fetched into a folder made anew where the data folder was (the database went with it).
  if (deps.dataFolderGone()) throw dataFolderGoneFailure(deps.dirs.data, true);
  const start = deps.now();
  let lastError: unknown = null;
  let answerGone = false;
  // FAL's answer kept from an earlier fetch (stored-result.ts) is tried first, briefly: its link may
  // have expired, and then FAL's answer is asked for again, for a fresh one.
  const kept = keptResultOf(row());
  // The kept column as this run last set it (writer.keep is not shown in writer.row).
  let keptJson = row().resultOutputJson;
  // FAL's answer was read (kept from before, or in an earlier round): FAL made the model. A later
  // result fetch that fails says so, for what the failure counts as (cancel-steps.ts).
  let answered = kept !== null;
  const rounds = kept ? [{ kept, until: start + Math.min(KEPT_LINK_TRY_MS, deps.policy.downloadRetryMs / 4) }, { until: start + deps.policy.downloadRetryMs }] : [0.5, 1].map((share) => ({ until: start + deps.policy.downloadRetryMs * share }));
  for (const round of rounds) {
    let output: unknown;
    if ('kept' in round && round.kept) {
      output = round.kept.output;
    } else if (!fal) {
      // The kept link failed and FAL's answer needs the key: wait for one (the mark written below
      // keeps the job from being claimed for that link again meanwhile).
      deps.signals.noKey();
      releaseJob(writer, { message: "Waiting for a FAL key: the model's kept link did not work, so FAL must be asked for it again" });
      return;
    } else {
      try {
        output = (await step('result', () => fal.queue.result(row().endpoint, { requestId, abortSignal: signal }))).data;
      } catch (error) {
        // FAL dropped its answer, but the kept one names the model: its link failing now (a CDN blip)
        // must not lose the paid model - Download again tries that link again. A link that said it
        // has expired (404/410) is gone with FAL's answer: nothing is left to fetch.
        if (!kept || !answerDropped(error, deps.now()) || classifyError(lastError, 'download', deps.now()).kind === 'fail') {
          throw answered && error instanceof StepError ? new StepError(error.phase, error.cause, true) : error;
        }
        answerGone = true;
        break;
      }
    }
    // A status where the output should be (a 202 while it still runs): not ready, not a failed run.
    const pending = pendingStatusOf(output);
    if (pending) throw new StepError('result', new FalResultNotReadyError(pending));
    const parsed = model.parseOutput(output);
    // Made and charged, and still held by FAL: an answer without the model (a proxy's or gateway's own
    // JSON) keeps Download again (free; the same answer again costs nothing).
    if ('error' in parsed) throw new JobFailure('unexpected_output', `FAL's answer did not contain a model: ${parsed.error}`, false);
    answered = true;
    if (!('kept' in round)) {
      const json = keptResultJson(requestId, output, deps.redact);
      if (json !== null && json !== keptJson) writer.keep({ resultOutputJson: (keptJson = json) });
    }
    writer.soft({ message: 'Downloading the model' });
    // The preview travels alongside the model; it is kept only if the model makes it in (else its
    // temp file goes).
    // A preview dropped with its round is stopped, not waited for (it may stall until its time limit).
    const dropped = new AbortController();
    const preview = parsed.preview ? downloadPreview(ctx, parsed.preview, AbortSignal.any([signal, dropped.signal])) : Promise.resolve(null);
    let previewTaken = false;
    let previewIn = false;
    void preview.then(() => (previewIn = true));
    try {
      const outcome = await downloadWithRetry(ctx, parsed.glb.url, signal, round.until);
      if (outcome.file) {
        const { bytes, ...tempFile } = outcome.file;
        // The temp file stays live for other processes' clean-up until it is stored (validation may take a while).
        const stopFresh = keepFresh(tempFile.path, deps.policy.tempFileTouchMs);
        try {
          const storeThePreview = async () => {
            previewTaken = true;
            if (previewIfReady && !previewIn) {
              dropped.abort();
              writer.log('Preview image not kept: the job was canceled before it came');
            }
            return storePreview(ctx, await preview);
          };
          await ingestModel(ctx, { bytes: bytes!, tempFile }, storeThePreview, row().estimatedCostUsd, () => dropped.abort());
        } finally {
          stopFresh();
        }
        return;
      }
      lastError = outcome.error;
      // With no key, a link that could not be reached (offline, a cut connection, a timeout, a 5xx) has
      // not been shown to fail: the policy tries it again (offline: once the connection is back)
      // instead of leaving the job to wait for a key the user may never add.
      if (!fal && classifyError(lastError, 'download', deps.now()).kind !== 'fail') throw new StepError('download', lastError);
    } finally {
      if (!previewTaken) {
        dropped.abort();
        await dropPreview(preview);
      }
    }
    writer.log(`Download failed (${deps.redact(errorMessage(lastError))}); fetching the result again for a fresh link`);
    // Only FAL's answer (and so a key) can help now, until the next Download again.
    if ('kept' in round && round.kept && !round.kept.linkFailed && keptJson !== null) writer.keep({ resultOutputJson: (keptJson = keptLinkFailedJson(keptJson)) });
  }
  const why = deps.redact(errorMessage(lastError));
  throw new JobFailure(
    'result_download_failed',
    answerGone
      ? `The model was made (and paid for), but downloading it kept failing: ${why}. FAL no longer holds its answer; Download again (free) tries the model's own link again.`
      : `The model was made (and paid for), but downloading it kept failing: ${why}. Use Download again (free) later; FAL keeps results for a while.`,
    false,
  );
}

/** FAL answered that it no longer holds the request's answer (not a passing trouble). */
function answerDropped(error: unknown, nowMs: number): boolean {
  return error instanceof StepError && classifyError(error.cause, 'result', nowMs).code === 'result_expired';
}

/** Longest a kept answer's model link is tried (retries included) before FAL is asked for a fresh one. */
const KEPT_LINK_TRY_MS = 10_000;

/** IN_QUEUE / IN_PROGRESS when FAL's "result" is a status answer. */
function pendingStatusOf(data: unknown): string | null {
  return isRecord(data) && (data.status === 'IN_QUEUE' || data.status === 'IN_PROGRESS') ? data.status : null;
}

/** Downloads `url`, retrying what may pass (DownloadError.retryable: network, timeouts, 5xx, a lagging CDN) until `until`. */
async function downloadWithRetry(ctx: RunContext, url: string, signal: AbortSignal, until: number): Promise<{ file: DownloadedFile | null; error: unknown }> {
  const { deps } = ctx;
  let lastError: unknown = null;
  for (let attempt = 0; ; attempt++) {
    try {
      // Streamed to a temp file in the library folder under the download policy (library/download.ts),
      // its bytes kept for validation; the file itself is then moved into place.
      const file = await downloadToTemp(url, deps.dirs.library, {
        maxBytes: deps.policy.maxDownloadBytes,
        timeoutMs: deps.policy.downloadTimeoutMs,
        trustedOrigins: deps.downloadOrigins(),
        keepBytes: true,
        // The model is checked while its file's fsync runs (library-ingest awaits it before storing).
        syncLater: true,
        keepFreshMs: deps.policy.tempFileTouchMs,
        signal,
      });
      return { file, error: null };
    } catch (error) {
      // A policy refusal (file:, data:, a private address), too large or canceled: trying again cannot help.
      if (!(error instanceof DownloadError) || !error.retryable || signal.aborted) throw new StepError('download', error);
      // Its temp file's folder went with the data folder: trying again cannot help until it is back.
      if (deps.dataFolderGone()) throw dataFolderGoneFailure(deps.dirs.data, true);
      lastError = error;
    }
    const delay = Math.min(10_000, 250 * 2 ** attempt) * (0.75 + 0.5 * deps.random());
    if (deps.now() + delay > until) return { file: null, error: lastError };
    ctx.writer.soft({ message: `The download failed (${deps.redact(errorMessage(lastError))}); trying again` });
    await sleep(delay, signal);
  }
}

/** Waits `ms`, or less when `signal` aborts (the caller checks the signal). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
