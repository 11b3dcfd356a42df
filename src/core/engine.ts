// The job engine facade: a durable queue in SQLite, FAL (or the offline generator) doing the work,
// and the local library. Plain Node: no electron import; every outside dependency comes in `deps`.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { AddJobsResult, ImageItem } from '../shared/contract';
import { TERMINAL_STATES, type Job, type LibraryModel, type Preset, type QueueState } from '../shared/domain';
import { AppError } from '../shared/result';
import { openDatabase, type Db } from './db/open';
import { createFal, type FalClient } from './fal/client';
import { redactSecrets } from './fal/redact';
import { runJob, type GenerateRelief, type Logger, type RunnerDeps, type RunnerPolicy } from './fal/runner';
import type { InputLimits, PrepareResult } from './images';
import { removeLeftoverTempFiles } from './library/files';
import { LibraryStore, paramsKeyOf, type LibraryListQuery } from './library/store';
import { DEFAULT_MODEL_ID, getModel, validateOptions } from './models/catalog';
import { dataPaths } from './paths';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './queue/backoff';
import { TypedEmitter } from './queue/emitter';
import { Scheduler } from './queue/scheduler';
import { JobStore, toJob, type JobRow, type NewJob } from './queue/store';
import { createThrottle } from './queue/throttle';
import { SUBMIT_INTERRUPTED_MESSAGE } from './fal/runner';
import type { AddJobsOptions, EngineApi } from './services-types';

export interface EngineTiming {
  /** Lease length; a worker heartbeats every `heartbeatMs` while it holds a job. */
  leaseMs: number;
  heartbeatMs: number;
  /** Longest sleep of the claim loop (work added by another process, expired leases). */
  schedulerPollMs: number;
  /** Status polling interval once the status stream failed. */
  statusPollMs: number;
  streamIdleMs: number;
  /** Overall bound for following one FAL request (default 30 min). */
  followTimeoutMs: number;
  /** Bound for each FAL API call and the upload. */
  requestTimeoutMs: number;
  downloadTimeoutMs: number;
  /** How often an offline queue checks whether FAL is reachable again. */
  probeIntervalMs: number;
  /** Per-job event rate limit (100 ms = at most 10 a second). */
  throttleMs: number;
  expectedRunMs: number;
  progressTickMs: number;
  /** How long cancel() waits for the worker to finish the cancel. */
  cancelWaitMs: number;
  /** Temp files younger than this survive the start-up clean-up (another process may own them). */
  tempFileMinAgeMs: number;
}

export const DEFAULT_TIMING: EngineTiming = Object.freeze({
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  schedulerPollMs: 1_000,
  statusPollMs: 500,
  streamIdleMs: 15_000,
  followTimeoutMs: 30 * 60_000,
  requestTimeoutMs: 60_000,
  downloadTimeoutMs: 5 * 60_000,
  probeIntervalMs: 5_000,
  throttleMs: 100,
  expectedRunMs: 60_000,
  progressTickMs: 1_000,
  cancelWaitMs: 15_000,
  tempFileMinAgeMs: 60_000,
});

export interface EngineDeps {
  dataDir: string;
  getFalKey: () => string | null;
  falProxyUrl?: string | null;
  concurrency?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Tuning knobs; tests shorten them. */
  timing?: Partial<EngineTiming>;
  /** Largest model download accepted (default 500 MiB). */
  maxDownloadBytes?: number;
  inputLimits?: InputLimits;
  /** Monthly spending cap in USD; FAL jobs wait once it is reached. */
  getSpendingCapUsd?: () => number | null;
  /** Use the status stream (default true); polling is always the fallback. */
  useStatusStream?: boolean;
  random?: () => number;
  generateRelief?: GenerateRelief;
}

export interface EngineEvents {
  job: (job: Job) => void;
  queue: (state: QueueState) => void;
  library: (change: { kind: 'added' | 'removed' | 'updated'; id: string }) => void;
}

export interface Engine extends EngineApi {
  /** Cleans temp files, recovers jobs of a crashed run, starts claiming. */
  start(): Promise<void>;
  /** Stops claiming, interrupts in-flight waits and releases leases; never cancels on FAL. */
  stop(): Promise<void>;
  /** stop() and close the database. */
  close(): Promise<void>;
  /** Resolves when no job is queued or active. */
  waitForIdle(): Promise<void>;
  /** The job's journal (transitions, FAL log lines), oldest first. */
  jobEvents(id: string): { at: number; kind: string; fromState: string | null; toState: string | null; message: string | null }[];
  readonly dataDir: string;
}

/** Engines alive in this process, so start-up recovery can tell a crashed owner from a live one. */
const LIVE_INSTANCES = new Set<string>();
const HOST = hostname();

const QUIET_LOGGER: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function createEngine(deps: EngineDeps): Engine {
  const timing: EngineTiming = { ...DEFAULT_TIMING, ...deps.timing };
  const now = deps.now ?? Date.now;
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const paths = dataPaths(deps.dataDir);
  for (const dir of [paths.root, paths.library, paths.inputs, paths.previews]) mkdirSync(dir, { recursive: true });
  const db: Db = openDatabase(deps.dataDir);
  const store = new JobStore(db);
  const library = new LibraryStore(db, deps.dataDir);
  const maxAttempts = Math.max(1, Math.floor(deps.maxAttempts ?? 5));
  const instance = randomUUID().slice(0, 8);
  const owner = `${HOST}/${process.pid}/${instance}`;

  const redact = (text: string) => redactSecrets(text, safeKey());
  const baseLogger = deps.logger ?? QUIET_LOGGER;
  const logger: Logger = {
    info: (message, ...rest) => baseLogger.info(redact(message), ...rest.map(redactDetail)),
    warn: (message, ...rest) => baseLogger.warn(redact(message), ...rest.map(redactDetail)),
    error: (message, ...rest) => baseLogger.error(redact(message), ...rest.map(redactDetail)),
  };
  function redactDetail(detail: unknown): unknown {
    return typeof detail === 'string' ? redact(detail) : detail instanceof Error ? redact(detail.message) : detail;
  }
  function safeKey(): string | null {
    try {
      return deps.getFalKey();
    } catch {
      return null;
    }
  }

  const emitter = new TypedEmitter<EngineEvents>((error) => logger.error('engine listener failed', error));

  // ---- queue-wide state ---------------------------------------------------------------------------

  let proxyUrl = deps.falProxyUrl ?? null;
  /** The key FAL refused, with its message; a different key clears it by itself. */
  let rejected: { key: string | null; message: string } | null = null;
  const keyRejected = (): string | null => (rejected && rejected.key === safeKey() ? rejected.message : null);
  let offline: { message: string; nextProbeAt: number } | null = null;
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  let started = false;
  let lastQueueJson = '';
  let queueEmitPending = false;

  let client: { key: string; proxy: string | null; fal: FalClient } | null = null;
  function fal(): FalClient | null {
    const key = safeKey();
    if (!key) return null;
    if (!client || client.key !== key || client.proxy !== proxyUrl) {
      client = { key, proxy: proxyUrl, fal: createFal({ key, proxyUrl, fetch: fetchImpl, requestTimeoutMs: timing.requestTimeoutMs }) };
    }
    return client.fal;
  }

  function monthStart(at: number): number {
    const d = new Date(at);
    return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  }
  function spendingCapReached(): boolean {
    const cap = deps.getSpendingCapUsd?.() ?? null;
    if (cap === null) return false;
    const t = now();
    return store.spendBetween(monthStart(t), t + 1) >= cap;
  }
  const falAllowed = () => !!safeKey() && keyRejected() === null && offline === null && !spendingCapReached();

  function queueState(): QueueState {
    const counts = store.counts();
    const base = { running: counts.active, queued: counts.queued };
    const refused = keyRejected();
    if (refused !== null) return { status: 'key_rejected', message: refused, ...base, resumesAt: null };
    if (!safeKey() && counts.queuedFal > 0) {
      return {
        status: 'no_key',
        message: 'Add a FAL key in Settings to run the waiting jobs, or choose the offline model.',
        ...base,
        resumesAt: null,
      };
    }
    if (offline !== null) return { status: 'offline', message: offline.message, ...base, resumesAt: offline.nextProbeAt };
    if (counts.queuedFal > 0 && spendingCapReached()) {
      return { status: 'spending_cap', message: 'This month\'s spending cap is reached; FAL jobs wait until it is raised.', ...base, resumesAt: null };
    }
    return { status: 'running', message: null, ...base, resumesAt: null };
  }

  /** Emits the queue state when it changed (coalesced per tick). */
  function queueChanged(): void {
    if (queueEmitPending) return;
    queueEmitPending = true;
    queueMicrotask(() => {
      queueEmitPending = false;
      let state: QueueState;
      try {
        state = queueState();
      } catch {
        return; // database closed
      }
      const json = JSON.stringify(state);
      if (json === lastQueueJson) return;
      lastQueueJson = json;
      emitter.emit('queue', state);
    });
  }

  // ---- offline probing ------------------------------------------------------------------------------

  function goOffline(message: string): void {
    const first = offline === null;
    offline = { message, nextProbeAt: now() + timing.probeIntervalMs };
    if (first) logger.warn(`FAL unreachable: ${message}`);
    scheduleProbe();
    queueChanged();
  }
  function goOnline(): void {
    if (offline === null) return;
    offline = null;
    if (probeTimer) clearTimeout(probeTimer);
    probeTimer = null;
    logger.info('FAL reachable again');
    queueChanged();
    scheduler.wake();
  }
  function scheduleProbe(): void {
    if (!started || probeTimer || offline === null) return;
    const delay = Math.max(0, offline.nextProbeAt - now());
    probeTimer = setTimeout(() => {
      probeTimer = null;
      void probe();
    }, delay);
  }
  /** Any HTTP answer from FAL (or the proxy) means the network is back. */
  async function probe(): Promise<void> {
    if (offline === null || !started) return;
    try {
      const response = await fetchImpl(proxyUrl ?? 'https://queue.fal.run/', { method: 'GET', signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel().catch(() => undefined);
      goOnline();
    } catch {
      if (offline !== null) {
        offline.nextProbeAt = now() + timing.probeIntervalMs;
        scheduleProbe();
        queueChanged();
      }
    }
  }

  // ---- events -----------------------------------------------------------------------------------------

  const throttle = createThrottle<Job>({
    intervalMs: timing.throttleMs,
    emit: (_id, job) => emitter.emit('job', job),
  });
  function jobChanged(row: JobRow, immediate: boolean): void {
    throttle.push(row.id, toJob(row), immediate);
    if (TERMINAL_STATES.includes(row.state)) {
      throttle.forget(row.id);
      runnerDeps.rateLimitHits.delete(row.id);
    }
    if (immediate) queueChanged();
  }

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
    maxPreviewBytes: 20 * 1024 * 1024,
    progressTickMs: timing.progressTickMs,
  };
  const runnerDeps: RunnerDeps = {
    store,
    library,
    dirs: { data: paths.root, library: paths.library, previews: paths.previews },
    now,
    random: deps.random ?? Math.random,
    fal,
    fetch: fetchImpl,
    policy,
    // Loaded on first use: sharp and glTF-Transform cost a noticeable start-up time.
    generateRelief: deps.generateRelief ?? (async (image, opts) => (await import('./offline')).generateRelief(image, opts)),
    redact,
    onJob: jobChanged,
    onLibraryAdded: (id) => emitter.emit('library', { kind: 'added', id }),
    signals: {
      keyRejected: (message) => {
        if (keyRejected() === null) logger.warn(`FAL rejected the key: ${message}`);
        rejected = { key: safeKey(), message };
        queueChanged();
      },
      offline: goOffline,
      online: goOnline,
      noKey: queueChanged,
    },
    logger,
    rateLimitHits: new Map(),
  };

  function isOwnerDead(leaseOwner: string): boolean {
    const [host, pidText, ownerInstance] = leaseOwner.split('/');
    const pid = Number(pidText);
    if (host !== HOST || !Number.isInteger(pid) || pid <= 0) return false; // another machine: wait for the lease
    if (pid === process.pid) return !LIVE_INSTANCES.has(ownerInstance ?? '');
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  function recover(): void {
    for (const row of store.recoverOrphans(now(), isOwnerDead, SUBMIT_INTERRUPTED_MESSAGE)) {
      logger.info(`job ${row.id} recovered as ${row.state}`);
      jobChanged(row, true);
    }
  }

  const scheduler = new Scheduler({
    store,
    owner,
    now,
    leaseMs: timing.leaseMs,
    heartbeatMs: timing.heartbeatMs,
    pollMs: timing.schedulerPollMs,
    concurrency: deps.concurrency ?? 2,
    falAllowed,
    recover,
    run: (ctx) => {
      jobChanged(ctx.row, true);
      return runJob(runnerDeps, ctx);
    },
    onWorkerError: (error, row) => logger.error(`worker error${row ? ` (job ${row.id})` : ''}`, error),
    onChange: queueChanged,
  });

  // ---- adding work -----------------------------------------------------------------------------------

  async function addImages(items: ImageItem[], opts: AddJobsOptions): Promise<AddJobsResult> {
    const endpoint = opts.endpoint ?? DEFAULT_MODEL_ID;
    const model = getModel(endpoint);
    if (!model) throw new AppError('invalid_input', `Unknown model "${endpoint}".`);
    const preset: Preset = opts.preset ?? 'standard';
    const validated = validateOptions(model, opts.options ?? {});
    if (!validated.ok) throw new AppError('invalid_input', validated.message);
    const optionsJson = canonicalJson(validated.options);
    const estimate = model.estimateCostUsd(preset, validated.options);
    const { DEFAULT_INPUT_LIMITS, prepareInput, prepareInputBytes } = await import('./images');
    const limits = deps.inputLimits ?? DEFAULT_INPUT_LIMITS;

    const prepared = await mapLimit(items, 3, (item): Promise<PrepareResult> =>
      item.kind === 'path' ? prepareInput(item.path, paths.inputs, limits) : prepareInputBytes(item.bytes, item.name, paths.inputs, limits),
    );
    const rejected: AddJobsResult['rejected'] = [];
    const duplicates: AddJobsResult['duplicates'] = [];
    const rows: NewJob[] = [];
    const createdAt = now();
    prepared.forEach((result, i) => {
      const item = items[i]!;
      const label = item.kind === 'path' ? item.path : item.name;
      if (!result.ok) {
        rejected.push({ input: label, reason: result.reason });
        return;
      }
      const input = result.input;
      if (!opts.force) {
        const existing = library.findByParams(paramsKeyOf(input.sha256, endpoint, preset, optionsJson));
        if (existing) {
          duplicates.push({ input: label, modelId: existing.id });
          return;
        }
      }
      rows.push({
        id: randomUUID(),
        endpoint,
        provider: model.provider,
        preset,
        optionsJson,
        inputName: input.originalName,
        inputPath: toStoredPath(input.path),
        inputSha256: input.sha256,
        inputMime: input.mime,
        maxAttempts,
        createdAt,
        estimatedCostUsd: estimate,
        message: input.warnings.length > 0 ? input.warnings.join(' ') : 'Waiting to start',
      });
    });
    const added = store.insertMany(rows);
    for (const row of added) jobChanged(row, true);
    if (added.length > 0) scheduler.wake();
    return { added: added.map(toJob), rejected, duplicates };
  }

  function toStoredPath(path: string): string {
    const rel = relative(paths.root, path);
    return !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
  }
  function toAbsolutePath(stored: string): string {
    return isAbsolute(stored) ? stored : join(paths.root, ...stored.split('/'));
  }

  // ---- user actions ----------------------------------------------------------------------------------

  function mustGet(id: string): JobRow {
    const row = store.get(id);
    if (!row) throw new AppError('not_found', 'That job was not found. It may have been removed.');
    return row;
  }

  async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function cancel(id: string): Promise<Job> {
    const row = mustGet(id);
    if (TERMINAL_STATES.includes(row.state)) return toJob(row);
    const canceled = store.cancelQueued(id, now(), 'Canceled');
    if (canceled) {
      jobChanged(canceled, true);
      return toJob(canceled);
    }
    const flagged = store.requestCancel(id);
    if (!flagged) return toJob(mustGet(id));
    jobChanged(flagged, false);
    const local = scheduler.cancel(id);
    if (local) {
      await Promise.race([local, new Promise((resolve) => setTimeout(resolve, timing.cancelWaitMs))]);
    } else if (flagged.state === 'queued') {
      // Sent to FAL earlier and waiting to resume: a worker claims it right away to tell FAL.
      scheduler.wake();
      await waitUntil(() => TERMINAL_STATES.includes(mustGet(id).state), timing.cancelWaitMs);
    }
    // Otherwise another process holds it; its heartbeat sees the request.
    return toJob(mustGet(id));
  }

  async function retry(id: string, opts: { confirm?: boolean } = {}): Promise<Job> {
    const row = mustGet(id);
    if (row.state === 'needs_attention' && !opts.confirm) {
      throw new AppError(
        'confirmation_required',
        'FAL may already have this job and charge for it. Retrying submits it again (it may be charged twice); confirm to go ahead.',
      );
    }
    if (row.state !== 'failed' && row.state !== 'needs_attention') {
      throw new AppError('conflict', `Only failed jobs can be retried; this one is ${row.state.replace('_', ' ')}.`);
    }
    const resubmit = row.state === 'needs_attention' || row.requestFinished || row.falRequestId === null;
    const next = store.requeue(id, now(), {
      resubmit,
      message: resubmit ? 'Queued again' : 'Queued again; will pick up the FAL job where it was',
    });
    if (!next) throw new AppError('conflict', 'The job changed meanwhile; try again.');
    runnerDeps.rateLimitHits.delete(id);
    jobChanged(next, true);
    scheduler.wake();
    return toJob(next);
  }

  // ---- start / stop ---------------------------------------------------------------------------------

  async function cleanTempFiles(): Promise<void> {
    let removed = 0;
    for (const dir of [paths.library, paths.previews, paths.inputs]) {
      removed += await removeLeftoverTempFiles(dir, { minAgeMs: timing.tempFileMinAgeMs, now: Date.now() });
    }
    if (removed > 0) logger.info(`removed ${removed} leftover temporary file(s)`);
  }

  let stopping: Promise<void> | null = null;

  const engine: Engine = {
    dataDir: deps.dataDir,

    async start() {
      if (started) return;
      if (stopping) await stopping;
      LIVE_INSTANCES.add(instance);
      started = true;
      await cleanTempFiles();
      recover();
      scheduler.start();
      if (offline) scheduleProbe();
      queueChanged();
    },

    async stop() {
      if (!started) return;
      started = false;
      if (probeTimer) clearTimeout(probeTimer);
      probeTimer = null;
      stopping = scheduler.stop().finally(() => {
        LIVE_INSTANCES.delete(instance);
        throttle.flush();
        stopping = null;
      });
      await stopping;
    },

    async close() {
      await engine.stop();
      throttle.dispose();
      emitter.clear();
      db.close();
    },

    addImages,

    async addFolder(dir, opts) {
      let files: string[];
      try {
        const { listImagesInFolder } = await import('./images');
        files = await listImagesInFolder(dir);
      } catch (error) {
        throw new AppError('not_found', error instanceof Error ? error.message : String(error));
      }
      if (files.length === 0) return { added: [], rejected: [{ input: dir, reason: 'The folder has no images.' }], duplicates: [] };
      return addImages(
        files.map((path) => ({ kind: 'path' as const, path })),
        opts,
      );
    },

    listJobs: () => store.list().map(toJob),
    getJob: (id) => {
      const row = store.get(id);
      return row ? toJob(row) : null;
    },
    jobEvents: (id) => store.events(id).map(({ at, kind, fromState, toState, message }) => ({ at, kind, fromState, toState, message })),
    inputPath: (id) => {
      const row = store.get(id);
      return row ? toAbsolutePath(row.inputPath) : null;
    },
    cancel,
    retry,
    remove: (id) => {
      const removed = store.remove(id);
      if (removed) queueChanged();
      return removed;
    },
    clearFinished: () => {
      const removed = store.clearFinished().length;
      if (removed > 0) queueChanged();
      return removed;
    },
    queueState,
    setConcurrency: (n) => scheduler.setConcurrency(n),
    setFalProxyUrl(url) {
      proxyUrl = url || null;
      client = null;
      if (offline) {
        offline.nextProbeAt = now();
        if (probeTimer) clearTimeout(probeTimer);
        probeTimer = null;
        scheduleProbe();
      }
      scheduler.wake();
    },
    limitsChanged() {
      queueChanged();
      scheduler.wake();
    },
    keyChanged() {
      rejected = null;
      client = null;
      queueChanged();
      scheduler.wake();
    },

    costSummary(capUsd) {
      const t = now();
      const d = new Date(t);
      const todayUsd = store.spendBetween(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), t + 1);
      const monthUsd = store.spendBetween(monthStart(t), t + 1);
      return { todayUsd, monthUsd, capUsd, capReached: capUsd !== null && monthUsd >= capUsd };
    },

    waitForIdle() {
      return new Promise<void>((resolve) => {
        const check = () => {
          let idle: boolean;
          try {
            const counts = store.counts();
            idle = counts.queued + counts.active === 0 && scheduler.activeCount === 0;
          } catch {
            idle = true; // closed: nothing will run any more
          }
          if (idle) {
            clearInterval(timer);
            off();
            resolve();
          }
        };
        const timer = setInterval(check, 50);
        const off = emitter.on('job', (job) => {
          if (TERMINAL_STATES.includes(job.state)) check();
        });
        check();
      });
    },

    library: {
      list: (q: LibraryListQuery) => library.list(q),
      get: (id) => library.get(id),
      filePath: (id) => library.filePath(id),
      previewPath: (id) => library.previewPath(id),
      rename(id, name) {
        const model = library.rename(id, name);
        if (!model) throw new AppError('not_found', 'That model was not found. It may have been deleted.');
        emitter.emit('library', { kind: 'updated', id });
        return model;
      },
      delete(id) {
        const deleted = library.delete(id);
        if (deleted) emitter.emit('library', { kind: 'removed', id });
        return deleted;
      },
      setTags(id, tags): LibraryModel {
        const model = library.setTags(id, tags);
        if (!model) throw new AppError('not_found', 'That model was not found. It may have been deleted.');
        emitter.emit('library', { kind: 'updated', id });
        return model;
      },
    },

    on(event: keyof EngineEvents, listener: (payload: never) => void): () => void {
      return emitter.on(event, listener as EngineEvents[typeof event]);
    },
  } as Engine;
  return engine;
}

/** JSON with sorted keys, so equal options give equal strings (duplicate detection). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value ?? {}));
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
