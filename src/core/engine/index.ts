// The job engine: a durable queue in SQLite, FAL (or the offline generator) doing the work, and the
// local library. Plain Node: no electron import; every outside dependency comes in `deps`.
// This file only composes the rooms; docs/ENGINE.md maps them.
// Over 300 lines on purpose: it is one wiring function - each room is made once, with what it needs
// of the others (several close over rooms made after them), in an order that reads only in one place.
// The logic is in the rooms; splitting the wiring would spread that order over files.
import { makeFolderSync } from '../util/make-folder';
import { TERMINAL_STATES } from '../../shared/domain';
import { openDatabase, type Db } from '../db/open';
import { inputJpegEncoding } from '../db/input-encoding';
import { createGlbValidator } from '../library/glb-validator';
import { LibraryStore } from '../library/store';
import { sweepOrphanFiles } from '../library/orphans';
import { join } from 'node:path';
import { dataPaths, PRESETS_FILE } from '../paths';
import { DEFAULT_BACKOFF } from '../queue/backoff';
import { Scheduler } from '../queue/scheduler';
import { claimJoinedOutput, claimOutputFile, joinedOutputs, releaseJoinedOutput, releaseOutputFile, unwrittenOutputs } from '../queue/output-copy';
import { JobStore, toJob } from '../queue/store';
import { createStatsReader, createStatsRecorder, trackRequestOutcomes } from '../stats';
import { createActions } from './actions';
import { createChangeWatch } from './change-watch';
import { watchFile } from './file-watch';
import { watchDataFolder } from './data-folder';
import { createIntake, type IntakeDeps } from './intake';
import { createJobChanges } from './job-changes';
import { JobInputStore } from './job-inputs';
import type { JobWriter } from './job-writer';
import { createJobQueries } from './job-queries';
import { addInputSet } from './set-intake';
import { runJob } from './job-run';
import { createModelSwitch } from './switch-model';
import { createLibraryApi } from './library-api';
import { createLifecycle } from './lifecycle';
import { createOwnership } from './ownership';
import { createQueueHealth } from './queue-health';
import { createRedaction, RedactingEmitter } from './redaction';
import { startCheckpointer } from '../db/checkpointer';
import { FlushGroup } from './flush-group';
import type { RunnerDeps, RunnerPolicy } from './run-context';
import { DEFAULT_TIMING, QUIET_LOGGER, type Engine, type EngineDeps, type EngineEvents, type EngineTiming } from './types';
import { nodeFetch } from '../fal/node-fetch';

export { DEFAULT_TIMING, type Engine, type EngineDeps, type EngineEvents, type EngineTiming, type GenerateRelief, type Logger } from './types';
export { canonicalJson } from '../util/canonical-json';
export { SUBMIT_INTERRUPTED_MESSAGE } from './ownership';
export { SUBMIT_UNCERTAIN_MESSAGE } from './fal-steps';

export function createEngine(deps: EngineDeps): Engine {
  const timing: EngineTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const now = deps.now ?? Date.now;
  // FAL calls (the client, the reachability probe) go over keep-alive node:http (fal/node-fetch.ts).
  const fetchImpl = deps.fetch ?? nodeFetch;
  const paths = dataPaths(deps.dataDir);
  // One level at a time: a recursive mkdirSync never returns for a data folder like /proc/self/<new>.
  for (const dir of [paths.root, paths.library, paths.inputs, paths.previews]) makeFolderSync(dir);
  const db: Db = deps.db ?? openDatabase(deps.dataDir, { checkpointsInBackground: true });
  const dataFolderGone = watchDataFolder(paths.database);
  const redaction = createRedaction(deps.getFalKey, deps.getOtherKeys);
  const store = new JobStore(db, redaction.redact, { fsyncWal: deps.fsyncWal, slowSyncMs: timing.slowSyncMs });
  const library = new LibraryStore(db, deps.dataDir);
  const logger = redaction.logger(deps.logger ?? QUIET_LOGGER);
  const checkpoints = startCheckpointer(db, { logger });
  const emitter = new RedactingEmitter(redaction.redact, (error) => logger.error('engine listener failed', error));
  const ownership = createOwnership(store, logger);
  const spendBetween = deps.spendBetween ?? ((from: number, to: number) => store.spendBetween(from, to));

  const health = createQueueHealth({
    store,
    safeKey: redaction.safeKey,
    redact: redaction.redact,
    proxyUrl: deps.falProxyUrl ?? null,
    fetch: fetchImpl,
    requestTimeoutMs: timing.requestTimeoutMs,
    probeIntervalMs: timing.probeIntervalMs,
    now,
    getSpendingCapUsd: deps.getSpendingCapUsd,
    slowSyncMs: timing.slowSyncMs,
    spendBetween,
    logger,
    emit: (state) => emitter.emit('queue', state),
    wake: () => scheduler.wake(),
  });

  const stats = createStatsRecorder(db, { now, logger });
  // Once per ended request: in the job's last transaction when it ends there (ingest), else on its event.
  const recordOutcome = trackRequestOutcomes(stats);
  const changes = createJobChanges({
    throttleMs: timing.throttleMs,
    emit: (job) => emitter.emit('job', job),
    recordOutcome,
    queueChanged: health.changed,
  });
  const { rateLimitHits } = changes;
  const jobChanged = changes.changed;

  // ---- the workers ---------------------------------------------------------------------------------

  const policy: RunnerPolicy = {
    backoff: deps.backoff ?? DEFAULT_BACKOFF,
    followTimeoutMs: timing.followTimeoutMs,
    pollIntervalMs: timing.statusPollMs,
    streamIdleMs: timing.streamIdleMs,
    useStream: deps.useStatusStream ?? true,
    expectedRunMs: timing.expectedRunMs,
    maxDownloadBytes: deps.maxDownloadBytes ?? 500 * 1024 * 1024,
    downloadTimeoutMs: timing.downloadTimeoutMs,
    downloadRetryMs: timing.downloadRetryMs,
    maxPreviewBytes: 20 * 1024 * 1024,
    tempFileTouchMs: timing.tempFileTouchMs,
    progressTickMs: timing.progressTickMs,
    cancelKeepMs: timing.cancelWaitMs,
    newRequestGraceMs: timing.newRequestGraceMs,
  };
  const jobInputs = new JobInputStore(db);
  const liveWriters = new Map<string, JobWriter>();
  const glbValidator = createGlbValidator({
    warn: (message) => logger.warn(message),
    // Another job is running alongside the one whose model is checked.
    busy: () => scheduler.activeCount > 1,
    workerMinBytes: deps.glbWorker?.minBytes,
    start: deps.glbWorker?.start,
  });
  const warmGlbCheck = deps.glbWorker?.warmForFal ? () => void glbValidator.warm() : () => undefined;
  const runnerDeps: RunnerDeps = {
    store,
    flushGroup: new FlushGroup({ store, logger }),
    inputs: jobInputs,
    library,
    dirs: { data: paths.root, library: paths.library, previews: paths.previews },
    now,
    random: deps.random ?? Math.random,
    fal: health.fal,
    downloadOrigins: () => {
      const proxy = health.proxyUrl();
      return proxy ? [proxy] : [];
    },
    policy,
    // Loaded on first use: sharp and glTF-Transform cost a noticeable start-up time.
    generateRelief: deps.generateRelief ?? (async (image, opts) => (await import('../offline')).generateRelief(image, opts)),
    validateGlb: glbValidator.validate,
    liveWriters,
    warmGlbCheck,
    redact: redaction.redact,
    onJob: jobChanged,
    onLibraryAdded: (id) => emitter.emit('library', { kind: 'added', id }),
    signals: health.signals,
    falAllowed: health.falAllowed,
    logger,
    rateLimitHits,
    stats,
    recordOutcome,
    dataFolderGone,
  };

  function recover(): void {
    for (const row of ownership.recover(now())) jobChanged(row, true);
  }

  const scheduler = new Scheduler({
    store,
    owner: ownership.owner,
    now,
    leaseMs: timing.leaseMs,
    heartbeatMs: timing.heartbeatMs,
    pollMs: timing.schedulerPollMs,
    concurrency: deps.concurrency ?? 2,
    falAllowed: health.falAllowed,
    falReachable: health.falReachable,
    linksReachable: health.linksReachable,
    recover,
    run: (ctx) => {
      jobChanged(ctx.row, true);
      return runJob(runnerDeps, ctx);
    },
    onWorkerError: (error, row) => logger.error(`worker error${row ? ` (job ${row.id})` : ''}`, error),
    onChange: health.changed,
  });

  const intakeDeps: IntakeDeps = {
    store,
    inputs: jobInputs,
    library,
    dataDir: paths.root,
    inputsDir: paths.inputs,
    maxAttempts: Math.max(1, Math.floor(deps.maxAttempts ?? 5)),
    inputLimits: deps.inputLimits,
    jpegEncoding: inputJpegEncoding(db),
    estimateCostUsd: deps.estimateCostUsd,
    now,
    dataFolderGone,
    wantsJobs: () => scheduler.wantsJobs,
    onAdded: (rows) => {
      for (const row of rows) jobChanged(row, true);
      // Made anyway (Make again anyway, --force): a never-received job of the same photo and settings
      // no longer says sending it again is safe.
      for (const row of rows) for (const twin of store.flagMadeAgain(row, now())) jobChanged(twin, true);
      // A model will come: the check worker starts now, not on the first job's thread and cores
      // while it uploads (loading the validator takes a core for a moment).
      if (rows.some((row) => row.provider === 'fal') && health.fal()) warmGlbCheck();
      if (rows.length > 0) scheduler.wake();
    },
  };
  const intake = createIntake(intakeDeps);

  const watch = createChangeWatch({
    db,
    store,
    intervalMs: timing.changePollMs,
    isOwn: (row) => row.leaseOwner === ownership.owner,
    onJob: (row, stateChanged) => jobChanged(row, stateChanged || TERMINAL_STATES.includes(row.state), true),
    onLibrary: (change) => emitter.emit('library', change),
    onQueue: () => {
      health.changed();
      scheduler.wake();
    },
    onError: (error) => logger.warn('could not check for changes by other processes', error),
    // Presets the CLI saves or deletes reach an open export studio like its jobs reach the queue.
    files: [watchFile(join(paths.root, PRESETS_FILE), () => emitter.emit('presets', undefined))],
  });

  const actions = createActions({
    store,
    scheduler,
    now,
    cancelWaitMs: timing.cancelWaitMs,
    jobChanged,
    queueChanged: health.changed,
    forgetRateLimits: (id) => rateLimitHits.delete(id),
  });

  const setModel = createModelSwitch({
    store,
    inputs: jobInputs,
    now,
    estimateCostUsd: deps.estimateCostUsd,
    jobChanged,
    forgetRateLimits: (id) => rateLimitHits.delete(id),
    wake: () => scheduler.wake(),
  });

  const lifecycle = createLifecycle({
    ownership,
    scheduler,
    watch,
    health,
    recover,
    tempDirs: [paths.library, paths.previews, paths.inputs],
    tempFileMinAgeMs: timing.tempFileMinAgeMs,
    sweepOrphans: (signal) =>
      sweepOrphanFiles(library, [paths.library, paths.previews], { minAgeMs: timing.orphanFileMinAgeMs, now: Date.now, signal }),
    warmUpDelayMs: timing.warmUpDelayMs,
    warmUp: async (stopped) => {
      await deps.warmUp?.();
      // With a key, the check worker too: it takes a core for a moment to load the validator, which
      // would otherwise happen as the first jobs of the first drop upload (it stays up 2 minutes idle).
      // Not after a stop, and a stop does not wait for its first answer (seconds on a busy machine; a
      // quit soon after launch would wait for it): close() ends the thread.
      if (!deps.glbWorker?.warmForFal || !health.fal() || stopped.aborted) return;
      const whenStopped = new Promise<void>((resolve) => stopped.addEventListener('abort', () => resolve(), { once: true }));
      await Promise.race([glbValidator.warm(), whenStopped]);
    },
    logger,
    flushEvents: changes.flush,
    release: async () => {
      changes.dispose();
      emitter.clear();
      await checkpoints.stop();
      store.close();
      db.close();
      await glbValidator.close();
    },
  });

  const queries = createJobQueries({
    store,
    inputs: jobInputs,
    dataRoot: paths.root,
    now,
    spendBetween,
    monthStart: health.monthStart,
    activeWorkers: () => scheduler.activeCount,
    onJob: (listener) => emitter.on('job', listener),
    live: (row) => liveWriters.get(row.id)?.overlay(row) ?? row,
  });

  const engine: Engine = {
    dataDir: deps.dataDir,
    ...lifecycle,
    ...queries,

    addImages: intake.addImages,
    addFolder: intake.addFolder,
    addSet: (members, opts) => addInputSet(intakeDeps, members, opts),

    claimOutputFile: (id, file, replacing) => claimOutputFile(db, id, file, replacing),
    joinedOutputs: (id) => joinedOutputs(db, id),
    claimJoinedOutput: (id, output, file, replacing) => claimJoinedOutput(db, id, output, file, replacing),
    releaseOutputFile: (id, file) => releaseOutputFile(db, id, file),
    releaseJoinedOutput: (id, output, file) => releaseJoinedOutput(db, id, output, file),
    unwrittenOutputs: () => unwrittenOutputs(db),
    cancel: actions.cancel,
    retry: actions.retry,
    remove: actions.remove,
    clearFinished: actions.clearFinished,
    setModel,
    queueState: () => {
      const state = health.queueState();
      return state.message === null ? state : { ...state, message: redaction.redact(state.message) };
    },
    setConcurrency: (n) => scheduler.setConcurrency(n),
    releaseUnsentNow() {
      // Claims stop first (stop()'s synchronous part), or a job given back would be claimed and armed again.
      engine.stop().catch((error: unknown) => logger.error('stopping for the shutdown failed', error));
      const rows = store.releaseUnsent(ownership.owner, now(), 'Waiting to be sent to FAL');
      for (const row of rows) jobChanged(row, true);
      return rows.length;
    },
    sendingNow: () => ownership.sending().map(toJob),
    abandonNow() {
      engine.stop().catch((error: unknown) => logger.error('stopping at once failed', error));
      const rows = ownership.abandon(now());
      for (const row of rows) jobChanged(row, true);
      return rows.filter((row) => row.state === 'needs_attention').map(toJob);
    },
    setFalProxyUrl(url) {
      health.setProxyUrl(url);
      scheduler.wake();
    },
    limitsChanged() {
      health.changed();
      scheduler.wake();
    },
    keyChanged() {
      health.keyChanged();
      scheduler.wake();
    },

    library: createLibraryApi(library, (change) => emitter.emit('library', change)),

    stats: createStatsReader(db),

    on(event: keyof EngineEvents, listener: (payload: never) => void): () => void {
      return emitter.on(event, listener as EngineEvents[typeof event]);
    },
  } as Engine;
  return engine;
}
