// One job's steps, from a claimed row to a terminal state or back to the queue:
//   FAL:     upload (once; the URL is kept) -> submit intent -> submit -> request id stored in the
//            same transaction -> follow (stream, else poll) -> result -> download -> validate -> library
//   offline: generate locally -> validate -> library
// A job that already has a request id resumes following it and is never submitted again. Every
// write is fenced; errors go through classify.ts and the back-off policy.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import type { FalClient } from '@fal-ai/client';
import { storeByContentHash } from '../library/files';
import { validateGlb } from '../library/glb';
import { paramsKeyOf, type LibraryStore } from '../library/store';
import { getModel } from '../models/catalog';
import type { FalFileRef, ModelDefinition } from '../models/types';
import { backoffDelay, rateLimitDelay, type BackoffPolicy } from '../queue/backoff';
import { interruptReason, type WorkerContext } from '../queue/scheduler';
import type { JobPatch, JobRow, JobStore } from '../queue/store';
import { classifyError, type Classification, type FalPhase } from './classify';
import { downloadBytes } from '../library/files';
import { FalAlreadyCompletedError, FalHttpError } from './errors';
import { followUntilCompleted, FollowTimeoutError, throwIfAborted, type FalStatus } from './follow';
import { LogLines, PROGRESS, queuedProgress, runningProgress } from './progress';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export interface RunnerPolicy {
  backoff: BackoffPolicy;
  /** Overall bound for following one request, from its submission. */
  followTimeoutMs: number;
  pollIntervalMs: number;
  streamIdleMs: number;
  useStream: boolean;
  /** Typical run time; shapes the time-based part of running progress. */
  expectedRunMs: number;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  maxPreviewBytes: number;
  /** How often running progress advances by time when FAL sends nothing. */
  progressTickMs: number;
}

export type GenerateRelief = (
  image: string,
  opts: Record<string, unknown> & { onProgress?: (fraction: number, message: string) => void },
) => Promise<{ glb: Uint8Array; triangles: number; vertices: number }>;

/** What the engine tells the whole queue when one job learns something about FAL. */
export interface QueueSignals {
  keyRejected(message: string): void;
  offline(message: string): void;
  online(): void;
  noKey(): void;
}

export interface RunnerDeps {
  store: JobStore;
  library: LibraryStore;
  dirs: { data: string; library: string; previews: string };
  now: () => number;
  random: () => number;
  /** The client for the current key and proxy; null when no key is configured. */
  fal: () => FalClient | null;
  fetch: typeof fetch;
  policy: RunnerPolicy;
  generateRelief: GenerateRelief;
  redact: (text: string) => string;
  /** A job row changed; `immediate` for state changes (never throttled). */
  onJob: (row: JobRow, immediate: boolean) => void;
  onLibraryAdded: (modelId: string) => void;
  signals: QueueSignals;
  logger: Logger;
  /** Consecutive rate limits per job (not attempts: they cost nothing). */
  rateLimitHits: Map<string, number>;
}

export const SUBMIT_UNCERTAIN_MESSAGE =
  'The connection broke while sending this job to FAL, so it may or may not have been accepted (and charged). Check your FAL dashboard; retry to submit again (may be charged twice).';

export const SUBMIT_INTERRUPTED_MESSAGE =
  'The app stopped while sending this job to FAL; it may or may not have been accepted. Retry to submit again (may be charged twice).';

/** A definite end for the job, decided by the runner itself. */
class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestDone: boolean,
  ) {
    super(message);
  }
}

/** The worker no longer holds the job (its lease was taken over): stop writing. */
class LeaseLostError extends Error {}

/** The submit's outcome is unknown and the job already says so (needs_attention): nothing more to do. */
class SubmitSettled extends Error {}

/** An error from talking to FAL or downloading, with the step it happened in. */
class StepError extends Error {
  constructor(
    readonly phase: FalPhase,
    override readonly cause: unknown,
  ) {
    super(`${phase} failed`);
  }
}

const NEVER = new AbortController().signal;

/** Longest time a cosmetic change (progress, message, log line) waits to be written. */
const FLUSH_MS = 250;

export async function runJob(deps: RunnerDeps, ctx: WorkerContext): Promise<void> {
  await new JobRun(deps, ctx.row, ctx.signal).execute();
}

class JobRun {
  private row: JobRow;
  private runningSince: number | null = null;
  private readonly lines = new LogLines();
  /** Cosmetic changes not written yet (see soft()). */
  private pending: JobPatch = {};
  private pendingLogs: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** A write found the job taken over: write nothing more. */
  private lost = false;

  constructor(
    private readonly deps: RunnerDeps,
    row: JobRow,
    private readonly signal: AbortSignal,
  ) {
    this.row = row;
  }

  async execute(): Promise<void> {
    try {
      if (this.row.cancelRequested) return await this.cancel();
      const model = getModel(this.row.endpoint);
      if (!model) throw new JobFailure('unknown_model', `This version of the app does not know the model "${this.row.endpoint}".`, true);
      if (model.provider === 'offline') await this.runOffline(model);
      else await this.runFal(model);
    } catch (error) {
      await this.handleFailure(error);
    } finally {
      // Whatever is still pending (the job ended or was released without a final write).
      if (!this.lost && (Object.keys(this.pending).length > 0 || this.pendingLogs.length > 0)) this.tryWrite({});
      this.clearPending();
    }
  }

  // ---- FAL ---------------------------------------------------------------------------------------

  private async runFal(model: ModelDefinition): Promise<void> {
    if (this.row.falRequestId === null && this.row.submitStartedAt !== null) {
      // A previous worker died between sending the submit and storing the id.
      this.write({ ...this.ended('needs_attention'), errorCode: 'submit_interrupted', errorMessage: SUBMIT_INTERRUPTED_MESSAGE, message: SUBMIT_INTERRUPTED_MESSAGE });
      return;
    }
    const fal = this.deps.fal();
    if (!fal) {
      this.deps.signals.noKey();
      this.release({ message: 'Waiting for a FAL key' });
      return;
    }
    let requestId = this.row.falRequestId;
    if (requestId === null) {
      const url = await this.ensureUploaded(fal);
      throwIfAborted(this.signal);
      requestId = await this.submit(fal, model, url);
      throwIfAborted(this.signal);
    } else {
      this.write({ state: 'submitted', message: 'Checking on the job at FAL' }, `Resuming FAL request ${requestId}`);
    }
    await this.follow(fal, requestId, this.signal);
    await this.collectResult(fal, model, requestId, this.signal);
  }

  private async ensureUploaded(fal: FalClient): Promise<string> {
    if (this.row.inputUrl) return this.row.inputUrl;
    this.soft({ progress: PROGRESS.uploading, message: 'Uploading the image' });
    const bytes = await this.readInput();
    const url = await this.step('upload', () => fal.storage.upload(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: this.row.inputMime })));
    this.deps.signals.online();
    this.write({ inputUrl: url, progress: PROGRESS.uploaded, message: 'Image uploaded' });
    return url;
  }

  private async submit(fal: FalClient, model: ModelDefinition, imageUrl: string): Promise<string> {
    const input = model.buildInput({ urls: [imageUrl] }, this.row.preset, this.options());
    // Intent first: if the process dies before the id is stored, start-up sees this and asks the
    // user instead of silently submitting (and paying) twice.
    this.write({ submitStartedAt: this.deps.now(), message: 'Sending the job to FAL' });
    let answer: { request_id: string; queue_position?: number };
    try {
      answer = await this.step('submit', () => fal.queue.submit(model.id, { input }));
    } catch (error) {
      const c = classifyError(error instanceof StepError ? error.cause : error, 'submit', this.deps.now());
      // A definite answer from FAL (an HTTP error; 5xx are not billed) or no connection at all:
      // nothing was accepted, so a later attempt may submit again.
      const definite = c.kind === 'auth' || c.kind === 'rate_limit' || c.kind === 'offline' || c.kind === 'fail' || (c.kind === 'transient' && c.code === 'server_error');
      if (definite) {
        this.tryWrite({ submitStartedAt: null });
        throw error;
      }
      // The request left but no answer came back (reset, timeout, our own stop): FAL may have
      // accepted and will charge it. The intent stays; the user decides, never a silent resubmit.
      if (c.kind === 'aborted' || this.signal.aborted) throw error;
      this.write({ ...this.ended('needs_attention'), errorCode: 'submit_uncertain', errorMessage: SUBMIT_UNCERTAIN_MESSAGE, message: SUBMIT_UNCERTAIN_MESSAGE });
      throw new SubmitSettled();
    }
    this.deps.signals.online();
    const position = typeof answer.queue_position === 'number' ? answer.queue_position : null;
    this.settlePending();
    const row = this.deps.store.recordSubmission(this.row.id, this.row.fence, answer.request_id, position, PROGRESS.submitted, this.deps.now());
    if (!row) throw new LeaseLostError();
    this.changed(row);
    return answer.request_id;
  }

  private async follow(fal: FalClient, requestId: string, signal: AbortSignal): Promise<void> {
    const { policy, now } = this.deps;
    const deadline = (this.row.submittedAt ?? now()) + policy.followTimeoutMs;
    const ticker = setInterval(() => this.tickProgress(), policy.progressTickMs);
    try {
      await this.step('status', () =>
        followUntilCompleted({
          fal,
          endpoint: this.row.endpoint,
          requestId,
          signal,
          deadline,
          now,
          pollIntervalMs: policy.pollIntervalMs,
          streamIdleMs: policy.streamIdleMs,
          stream: policy.useStream,
          onStatus: (status) => this.onStatus(status),
          onStreamFailed: (error) => this.deps.logger.info(`job ${this.row.id}: status stream failed, polling instead`, this.describe(error)),
        }),
      );
    } finally {
      clearInterval(ticker);
    }
  }

  private onStatus(status: FalStatus): void {
    this.deps.signals.online();
    this.deps.rateLimitHits.delete(this.row.id);
    if (status.status === 'IN_QUEUE') {
      const position = typeof status.queue_position === 'number' ? status.queue_position : null;
      const message = position !== null && position > 0 ? `Waiting at FAL (position ${position})` : 'Starting at FAL';
      if (this.row.state === 'submitted' && this.row.queuePosition === position && this.row.message === message) return;
      this.soft({ queuePosition: position, progress: queuedProgress(position), message });
      return;
    }
    // IN_PROGRESS or COMPLETED: the model runs (or ran).
    const now = this.deps.now();
    this.runningSince ??= now;
    if (this.row.state === 'submitted') {
      this.write({ state: 'running', queuePosition: null, progress: PROGRESS.running, message: 'Generating the model' });
    }
    for (const line of this.lines.accept(status.logs ?? undefined)) this.soft({ message: line }, line);
    this.tickProgress();
  }

  private tickProgress(): void {
    if (this.runningSince === null || this.row.state !== 'running') return;
    const next = runningProgress(this.deps.now() - this.runningSince, this.deps.policy.expectedRunMs, this.lines.floor);
    if (next >= this.row.progress + 0.5) this.soft({ progress: next });
  }

  private async collectResult(fal: FalClient, model: ModelDefinition, requestId: string, signal: AbortSignal): Promise<void> {
    this.write({ state: 'downloading', queuePosition: null, progress: PROGRESS.downloading, message: 'Fetching the result' });
    const result = await this.step('result', () => fal.queue.result(this.row.endpoint, { requestId, abortSignal: signal }));
    const parsed = model.parseOutput(result.data);
    if ('error' in parsed) throw new JobFailure('unexpected_output', `FAL's answer did not contain a model: ${parsed.error}`, true);
    this.soft({ message: 'Downloading the model' });
    // The preview travels alongside the model; it is kept only if the model makes it in.
    const preview = parsed.preview ? this.downloadPreview(parsed.preview, signal) : Promise.resolve(null);
    const bytes = await this.step('download', () =>
      downloadBytes(parsed.glb.url, {
        maxBytes: this.deps.policy.maxDownloadBytes,
        timeoutMs: this.deps.policy.downloadTimeoutMs,
        fetch: this.deps.fetch,
        signal,
      }),
    );
    await this.storeModel(bytes, async () => this.storePreview(await preview), this.row.estimatedCostUsd);
  }

  /** FAL's preview image; never fails the job (null when it cannot be had). */
  private async downloadPreview(ref: FalFileRef, signal: AbortSignal): Promise<Uint8Array | null> {
    try {
      return await downloadBytes(ref.url, {
        maxBytes: this.deps.policy.maxPreviewBytes,
        timeoutMs: Math.min(60_000, this.deps.policy.downloadTimeoutMs),
        fetch: this.deps.fetch,
        signal,
      });
    } catch (error) {
      if (!signal.aborted) this.log(`Preview image not kept: ${this.describe(error)}`);
      return null;
    }
  }

  private async storePreview(bytes: Uint8Array | null): Promise<string | null> {
    if (!bytes) return null;
    const ext = imageExtension(bytes);
    if (!ext) {
      this.log('Preview image not kept: not a PNG, JPEG or WebP image');
      return null;
    }
    try {
      return (await storeByContentHash(this.deps.dirs.previews, bytes, ext)).path;
    } catch (error) {
      this.log(`Preview image not kept: ${this.describe(error)}`);
      return null;
    }
  }

  // ---- offline -----------------------------------------------------------------------------------

  private async runOffline(model: ModelDefinition): Promise<void> {
    this.write({ state: 'running', progress: PROGRESS.running, message: 'Making the model on this computer' });
    const options = model.buildInput({ urls: [] }, this.row.preset, this.options());
    let result: { glb: Uint8Array };
    try {
      result = await this.deps.generateRelief(this.inputPath(), {
        ...options,
        onProgress: (fraction, message) =>
          this.soft({ progress: PROGRESS.running + (PROGRESS.runningMax - PROGRESS.running) * fraction, message }),
      });
    } catch (error) {
      throwIfAborted(this.signal);
      throw new JobFailure('generation_failed', `The offline generator could not make a model: ${this.describe(error)}`, true);
    }
    throwIfAborted(this.signal);
    this.write({ state: 'downloading', progress: PROGRESS.downloading, message: 'Storing the model' });
    await this.storeModel(result.glb, async () => null, 0);
  }

  // ---- library -----------------------------------------------------------------------------------

  private async storeModel(bytes: Uint8Array, preview: () => Promise<string | null>, costUsd: number | null): Promise<void> {
    this.soft({ progress: PROGRESS.validating, message: 'Checking the model' });
    const validation = await validateGlb(bytes);
    if (!validation.ok) {
      throw new JobFailure('invalid_result', `The generated file is not a usable GLB model: ${validation.reason}.`, true);
    }
    this.soft({ progress: PROGRESS.storing, message: 'Adding the model to the library' });
    const stored = await storeByContentHash(this.deps.dirs.library, bytes, 'glb');
    const previewPath = await preview();
    const now = this.deps.now();
    const modelId = randomUUID();
    this.settlePending();
    const row = this.row;
    const committed = this.deps.store.commitWith(
      row.id,
      row.fence,
      { ...this.ended('succeeded'), progress: PROGRESS.done, modelId, message: 'Done', errorCode: null, errorMessage: null },
      now,
      'Model added to the library',
      () =>
        this.deps.library.insert({
          id: modelId,
          name: basename(row.inputName, extname(row.inputName)).trim() || 'Model',
          createdAt: now,
          endpoint: row.endpoint,
          preset: row.preset,
          jobId: row.id,
          sha256: stored.sha256,
          filePath: stored.path,
          stats: validation.stats,
          previewPath,
          costUsd,
          sourceName: row.inputName,
          paramsKey: paramsKeyOf(row.inputSha256, row.endpoint, row.preset, row.optionsJson),
        }),
    );
    if (!committed) throw new LeaseLostError();
    this.changed(committed, true);
    this.deps.onLibraryAdded(modelId);
  }

  // ---- cancel ------------------------------------------------------------------------------------

  /** Carries out a cancel: FAL is told (if it has the job); a job FAL already finished is kept. */
  private async cancel(): Promise<void> {
    const requestId = this.row.falRequestId;
    if (requestId === null) {
      this.write({ ...this.ended('canceled'), message: 'Canceled' });
      return;
    }
    const fal = this.deps.fal();
    if (!fal) {
      this.write({ ...this.ended('canceled'), message: 'Canceled here; without a key FAL could not be told, so it may still run and be charged.' });
      return;
    }
    try {
      await fal.queue.cancel(this.row.endpoint, { requestId });
      this.write({ ...this.ended('canceled'), message: 'Canceled; FAL was asked to stop the job.' }, `FAL cancel requested for ${requestId}`);
    } catch (error) {
      if (isAlreadyCompleted(error)) {
        await this.keepCompletedResult(fal, requestId);
        return;
      }
      const notFound = error instanceof FalHttpError && error.status === 404;
      this.write({
        ...this.ended('canceled'),
        message: notFound ? 'Canceled' : 'Canceled here, but FAL could not be told; it may still run and be charged.',
      }, `FAL cancel failed: ${this.describe(error)}`);
    }
  }

  /** Cancel came too late: FAL had finished (and charged) it, so the result is kept. */
  private async keepCompletedResult(fal: FalClient, requestId: string): Promise<void> {
    this.log('FAL had already finished this job; keeping the result');
    const model = getModel(this.row.endpoint);
    try {
      if (!model) throw new Error('unknown model');
      if (this.row.state === 'preparing') this.write({ state: 'submitted' });
      await this.collectResult(fal, model, requestId, NEVER);
    } catch (error) {
      if (error instanceof LeaseLostError) return;
      this.tryWrite({ ...this.ended('canceled'), message: `Canceled; the finished result could not be kept (${this.describe(error)}).` });
    }
  }

  // ---- failures ----------------------------------------------------------------------------------

  private async handleFailure(error: unknown): Promise<void> {
    if (error instanceof LeaseLostError || error instanceof SubmitSettled) return;
    try {
      switch (interruptReason(this.signal)) {
        case 'lease_lost':
          return;
        case 'cancel':
          return await this.cancel();
        case 'stop':
          this.release({ message: 'Paused: the engine stopped' });
          return;
        default:
          break;
      }
      if (error instanceof StepError && error.cause instanceof FollowTimeoutError) {
        const minutes = Math.round(this.deps.policy.followTimeoutMs / 60_000);
        const limit = minutes >= 1 ? `${minutes} min` : `${Math.round(this.deps.policy.followTimeoutMs / 1000)} s`;
        this.fail('fal_timeout', `FAL did not finish the job within ${limit}; it was given up (and FAL asked to stop it).`, true);
        this.cancelQuietly();
        return;
      }
      if (error instanceof StepError) return this.apply(classifyError(error.cause, error.phase, this.deps.now()));
      if (error instanceof JobFailure) return this.fail(error.code, error.message, error.requestDone);
      this.deps.logger.error(`job ${this.row.id}: unexpected error`, this.describe(error));
      this.fail('internal', `Something went wrong on this computer: ${this.describe(error)}`, false);
    } catch (inner) {
      if (inner instanceof LeaseLostError) return;
      throw inner;
    }
  }

  private apply(c: Classification): void {
    const { now, policy, random } = this.deps;
    switch (c.kind) {
      case 'auth':
        this.deps.signals.keyRejected(c.message);
        this.release({ message: 'Waiting for a working FAL key', errorCode: c.code, errorMessage: c.message });
        return;
      case 'offline':
        this.deps.signals.offline(c.message);
        this.release({ message: 'Waiting for the connection to FAL', errorCode: c.code, errorMessage: c.message });
        return;
      case 'rate_limit': {
        const hits = (this.deps.rateLimitHits.get(this.row.id) ?? 0) + 1;
        this.deps.rateLimitHits.set(this.row.id, hits);
        const delay = rateLimitDelay(c.retryAfterMs, hits, policy.backoff, random);
        this.release({
          nextAttemptAt: now() + delay,
          message: `FAL asked to slow down; trying again in ${formatDelay(delay)}`,
          errorCode: c.code,
          errorMessage: c.message,
        });
        return;
      }
      case 'transient': {
        const attempts = this.row.attempts + 1;
        if (attempts >= this.row.maxAttempts) {
          this.fail(c.code, `${c.message} Gave up after ${attempts} attempts.`, false, { attempts });
          return;
        }
        const delay = backoffDelay(attempts, policy.backoff, random);
        this.release({
          attempts,
          nextAttemptAt: now() + delay,
          message: `${c.message} Trying again in ${formatDelay(delay)} (attempt ${attempts + 1} of ${this.row.maxAttempts}).`,
          errorCode: c.code,
          errorMessage: c.message,
        });
        return;
      }
      case 'fail':
        this.fail(c.code, c.message, c.requestDone);
        return;
      case 'aborted':
        this.release({ message: 'Interrupted; will continue' });
        return;
    }
  }

  private fail(code: string, message: string, requestDone: boolean, extra: JobPatch = {}): void {
    this.write({ ...this.ended('failed'), ...extra, errorCode: code, errorMessage: message, message, requestFinished: requestDone }, message);
    this.deps.logger.info(`job ${this.row.id} failed (${code}): ${message}`);
  }

  /** Back to the queue (keeping upload and request id), optionally not before `nextAttemptAt`. */
  private release(patch: JobPatch): void {
    const note = patch.errorMessage ?? patch.message ?? undefined;
    this.write({ state: 'queued', leaseOwner: null, leaseExpiresAt: null, queuePosition: null, nextAttemptAt: null, ...patch }, note ?? undefined);
  }

  private ended(state: 'succeeded' | 'failed' | 'canceled' | 'needs_attention'): JobPatch {
    return { state, finishedAt: this.deps.now(), leaseOwner: null, leaseExpiresAt: null, queuePosition: null, nextAttemptAt: null };
  }

  private cancelQuietly(): void {
    const fal = this.deps.fal();
    const requestId = this.row.falRequestId;
    if (fal && requestId) fal.queue.cancel(this.row.endpoint, { requestId }).catch(() => undefined);
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  private async step<T>(phase: FalPhase, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new StepError(phase, error);
    }
  }

  /**
   * Fenced write of everything pending plus `patch`, in one transaction; throws LeaseLostError when
   * another worker holds the job now. Used for what must be durable at once: states, the upload
   * URL, the submit intent, errors.
   */
  private write(patch: JobPatch, note?: string): JobRow {
    const next = this.tryWrite(patch, note);
    if (!next) throw new LeaseLostError();
    return next;
  }

  private tryWrite(patch: JobPatch, note?: string): JobRow | null {
    const { redact } = this.deps;
    const clean: JobPatch = { ...this.pending, ...patch };
    if (this.pending.progress !== undefined && patch.progress !== undefined) clean.progress = Math.max(this.pending.progress, patch.progress);
    if (typeof clean.message === 'string') clean.message = redact(clean.message);
    if (typeof clean.errorMessage === 'string') clean.errorMessage = redact(clean.errorMessage);
    const logs = this.pendingLogs.map(redact);
    this.clearPending();
    const next = this.deps.store.update(this.row.id, this.row.fence, clean, this.deps.now(), note ? redact(note) : null, logs);
    if (next) this.changed(next, next.state !== this.row.state);
    else this.lost = true;
    return next;
  }

  /**
   * Cosmetic change (progress, message, queue position, journal lines): shown at once through the
   * job event, written to the database with the next write or within FLUSH_MS. Keeps SQLite commits
   * per job few (they dominate the engine's own cost).
   */
  private soft(patch: Pick<JobPatch, 'progress' | 'message' | 'queuePosition'>, logLine?: string): void {
    if (this.lost) return;
    if (patch.progress !== undefined) patch = { ...patch, progress: Math.max(this.row.progress, this.pending.progress ?? 0, patch.progress) };
    Object.assign(this.pending, patch);
    if (logLine) this.pendingLogs.push(logLine);
    const row: JobRow = { ...this.row, ...patch };
    if (patch.message !== undefined && patch.message !== null) row.message = this.deps.redact(patch.message);
    this.row = row;
    this.deps.onJob(row, false);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      try {
        this.tryWrite({});
      } catch (error) {
        this.deps.logger.warn(`job ${this.row.id}: could not save progress`, this.describe(error));
      }
    }, FLUSH_MS);
  }

  private changed(next: JobRow, immediate = next.state !== this.row.state): void {
    this.row = next;
    this.deps.onJob(next, immediate);
  }

  /** Before a write that sets its own message: keep pending journal lines, drop superseded cosmetics. */
  private settlePending(): void {
    if (this.pendingLogs.length > 0 && !this.lost) this.tryWrite({});
    else this.clearPending();
  }

  private clearPending(): void {
    this.pending = {};
    this.pendingLogs = [];
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /** A journal line, written with the next flush. */
  private log(message: string): void {
    this.soft({}, message);
  }

  private options(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(this.row.optionsJson);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  private inputPath(): string {
    return isAbsolute(this.row.inputPath) ? this.row.inputPath : join(this.deps.dirs.data, this.row.inputPath);
  }

  private async readInput(): Promise<Uint8Array> {
    try {
      return await readFile(this.inputPath());
    } catch (error) {
      throw new JobFailure('input_missing', `The prepared copy of ${this.row.inputName} is missing (${this.describe(error)}). Add the image again.`, true);
    }
  }

  private describe(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return this.deps.redact(text);
  }
}

function isAlreadyCompleted(error: unknown): boolean {
  if (error instanceof FalAlreadyCompletedError) return true;
  if (error instanceof FalHttpError) {
    const body = error.body;
    return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ALREADY_COMPLETED';
  }
  return false;
}

function imageExtension(bytes: Uint8Array): 'png' | 'jpg' | 'webp' | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
