// Adding work: prepare each image (validate, orient, downscale, strip metadata), skip inputs whose
// model already exists with the same settings (unless forced), and insert the jobs as their images
// are ready (in order, a few at a time: the first can start while the rest are prepared) - or join
// the job already on its way for the same image and settings (the caller gets that job to follow):
// the store looks for it in the insert's own transaction, so two processes cannot both insert.
import { randomUUID } from 'node:crypto';
import type { AddJobsResult, ImageItem } from '../../shared/contract';
import type { Preset } from '../../shared/domain';
import { AppError } from '../../shared/result';
import type { InputLimits, PrepareResult } from '../images';
import { paramsKeyOf, type LibraryStore } from '../library/store';
import { DEFAULT_MODEL_ID, getModel, validateOptions } from '../models/catalog';
import type { ModelDefinition } from '../models/types';
import { toStoredPath } from '../paths';
import { toJob, type JobRow, type JobStore, type JobToAdd } from '../queue/store';
import type { AddJobsOptions } from '../services-types';
import { inputSetProblem } from '../models/input-set';
import { singleInputOf, type JobInputStore } from './job-inputs';
import { isBusyError } from '../db/write';
import { errorMessage } from '../util/errors';

/**
 * After the first insert of a call, at most one more per this many ms: each is a transaction on the
 * thread that serves the window (10 ms cost more engine CPU per job in the queue bench than 100).
 */
const INSERT_EVERY_MS = 100;

/**
 * The first jobs of a call are inserted as their images are ready, not INSERT_EVERY_MS apart: enough
 * to fill every slot (the most jobs at once the settings allow is 8) before the throttle applies. A
 * 1,000-photo drop had 2 jobs running for its first 100 ms, waiting for the second insert.
 */
const EAGER_JOBS = 8;

export interface IntakeDeps {
  store: JobStore;
  inputs: JobInputStore;
  library: LibraryStore;
  dataDir: string;
  inputsDir: string;
  maxAttempts: number;
  inputLimits?: InputLimits;
  /** Price estimate (default: the catalog's built-in price). */
  estimateCostUsd?: (model: ModelDefinition, preset: Preset, options: Record<string, unknown>) => number;
  now: () => number;
  /** New rows were inserted. */
  onAdded: (rows: JobRow[]) => void;
}

export interface Intake {
  addImages(items: ImageItem[], opts: AddJobsOptions): Promise<AddJobsResult>;
  addFolder(dir: string, opts: AddJobsOptions): Promise<AddJobsResult>;
}

/**
 * Waits until the jobs a call added (or joined) would survive a power cut (JobStore.syncToDisk).
 * Should the disk refuse, the call fails - but after the commit: its jobs are in the queue (safe from
 * anything but a power cut; none is sent to FAL before a later sync succeeds, fal-steps arm; after a
 * failed fsync, none before a restart: queue-health). The error says so in words the window shows as
 * they are (an AppError): any other error reads "Something went wrong inside the app. Please try
 * again.", and a drop made again with "Make again anyway" (or the CLI's --force) would be paid for twice.
 */
export async function syncNewJobs(store: JobStore, count: number): Promise<void> {
  try {
    await store.syncToDisk();
  } catch (error) {
    const jobs = count === 1 ? 'the new job' : `the ${count} new jobs`;
    const they = count === 1 ? 'It is' : 'They are';
    const them = count === 1 ? 'it' : 'them';
    const was = count === 1 ? 'was' : 'were';
    const held = diskFailureDetail(store);
    if (held !== null) {
      // Kept until a restart (db/wal-sync.ts): the jobs wait; the queue says so too.
      throw new AppError(
        'io_error',
        `The disk reported an error while saving${held}, so it could not confirm that ${jobs} ${was} saved. ${they} in the queue and wait${count === 1 ? 's' : ''} there until Image2Model is restarted: nothing more is sent to FAL until then. Check the disk (free space, errors), then restart Image2Model. Adding ${them} again is not needed.`,
        { cause: error },
      );
    }
    const detail = errorMessage(error);
    throw new AppError(
      'io_error',
      `The disk could not confirm that ${jobs} ${was} saved (${detail}). ${they} in the queue, but a power cut before the disk recovers could lose ${them}: check the disk (free space, errors). Adding ${them} again is not needed.`,
      { cause: error },
    );
  }
}

/** The disk's own error as ' (EIO: ...)' once a failed fsync holds FAL work until a restart ('' if it has none); else null. */
function diskFailureDetail(store: JobStore): string | null {
  const failure = store.diskFailure();
  if (failure === null) return null;
  return failure.cause instanceof Error ? ` (${failure.cause.message})` : '';
}

/** A database error in the user's words, with what to do about it first. */
export function databaseFailureInWords(error: unknown): { why: string; first: string } {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const detail = errorMessage(error);
  if (isBusyError(error)) {
    return {
      why: `the job database stayed busy with another process (another window of the app or an image2model command) for too long (${detail})`,
      first: 'Wait a moment, or let that command finish, then',
    };
  }
  if (code.startsWith('SQLITE_FULL')) return { why: `the disk is full (${detail})`, first: 'Free some disk space, then' };
  if (code.startsWith('SQLITE_IOERR')) return { why: `the disk reported an error while the jobs were saved (${detail})`, first: 'Check the disk, then' };
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return { why: `the job database could not be written (${detail})`, first: "Check that the app's data folder can be written, then" };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return { why: `the job database is damaged (${detail})`, first: 'Restart the app, then' };
  }
  return { why: `saving the jobs failed (${detail})`, first: 'Then' };
}

const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/**
 * The answer to a drop whose insert failed partway: `added` photos are in the queue (added or joined
 * to the job already on its way), the `rest` (their labels) were not.
 */
function partialAddError(p: { total: number; added: number; rest: readonly string[]; force: boolean; error: unknown; unsynced: unknown; heldUntil: string | null }): AppError {
  const { why, first } = databaseFailureInWords(p.error);
  const restCount = p.rest.length;
  const skipped = p.total - p.added - restCount;
  const addedText =
    p.added === 0
      ? p.total === 1
        ? 'The photo was not added'
        : `None of the ${p.total} photos were added`
      : `${p.added} of the ${p.total} photos ${p.added === 1 ? 'was' : 'were'} added (${p.added === 1 ? 'it is' : 'they are'} in the queue)${
          skipped > 0 ? `, ${count(skipped, 'was', 'were')} skipped (not a usable image, or already in your library)` : ''
        }, and the other ${restCount === 1 ? 'one was' : `${restCount} were`} not`;
  const shown = p.rest.slice(0, 5).map((label) => basenameOf(label));
  const named = shown.join(', ') + (restCount > shown.length ? ` and ${restCount - shown.length} more` : '');
  const todo =
    p.added === 0
      ? `${first} add the ${p.total === 1 ? 'photo' : 'photos'} again.`
      : p.force
        ? // "Make again anyway" does not join jobs on their way: adding the whole drop again would make (and pay for) the added ones twice.
          `${first} add again only the ones that were not added (${named}): with "Make again anyway", the ones already added would be made again.`
        : `${first} add the photos again: the ones already added join their jobs, so nothing is paid twice.`;
  const added = p.added === 1 ? 'job' : 'jobs';
  const unsynced =
    p.unsynced === null
      ? ''
      : p.heldUntil !== null
        ? ` The disk also reported an error while saving${p.heldUntil}: the added ${added} wait${p.added === 1 ? 's' : ''} in the queue until Image2Model is restarted, and nothing more is sent to FAL until then. Check the disk, then restart.`
        : ` The disk also could not confirm that the added ${p.added === 1 ? 'job was' : 'jobs were'} saved (${p.unsynced instanceof Error ? p.unsynced.message : String(p.unsynced)}): a power cut before it recovers could lose ${p.added === 1 ? 'it' : 'them'}.`;
  return new AppError('io_error', `${addedText}: ${why}.${unsynced} ${todo}`, { cause: p.error });
}

function basenameOf(label: string): string {
  return label.split(/[\\/]/).pop() || label;
}

export function createIntake(deps: IntakeDeps): Intake {
  async function addImages(items: ImageItem[], opts: AddJobsOptions): Promise<AddJobsResult> {
    const endpoint = opts.endpoint ?? DEFAULT_MODEL_ID;
    const model = getModel(endpoint);
    if (!model) throw new AppError('invalid_input', `Unknown model "${endpoint}".`);
    // One image per job here: a model that needs several (TRELLIS multi-image) takes them as a set. For
    // a model of named views, the one image is its first view (Tripo Multiview's front; the rest are
    // optional), which is what its buildInput makes of a single URL. Its row keeps no view, so the job
    // can still switch to a one-image generator while it waits.
    const oneImageProblem = inputSetProblem(model, [model.views?.[0] ?? null]);
    if (oneImageProblem) throw new AppError('invalid_input', oneImageProblem);
    const preset: Preset = opts.preset ?? 'standard';
    const validated = validateOptions(model, opts.options ?? {});
    if (!validated.ok) throw new AppError('invalid_input', validated.message);
    const optionsJson = canonicalJson(validated.options);
    const estimate = deps.estimateCostUsd ? deps.estimateCostUsd(model, preset, validated.options) : model.estimateCostUsd(preset, validated.options);
    const { DEFAULT_INPUT_LIMITS, prepareInput, prepareInputBytes } = await import('../images');
    const limits = deps.inputLimits ?? DEFAULT_INPUT_LIMITS;

    const rejected: AddJobsResult['rejected'] = [];
    const duplicates: AddJobsResult['duplicates'] = [];
    const labels: string[] = [];
    const outcomes: ReturnType<JobStore['addOrJoin']> = [];
    /** Jobs made by this call (a later copy of the same image joins one and counts as added). */
    const madeHere = new Set<string>();

    /** Inserts the jobs of prepared images (one transaction), in the order they were given. */
    const insert = (results: readonly PrepareResult[], from: number) => {
      const toAdd: JobToAdd[] = [];
      const createdAt = deps.now();
      results.forEach((result, offset) => {
        const item = items[from + offset]!;
        const label = item.kind === 'path' ? item.path : item.name;
        if (!result.ok) {
          rejected.push({ input: label, reason: result.reason });
          return;
        }
        const input = result.input;
        if (!opts.force) {
          const existing = deps.library.findByParams(paramsKeyOf(input.sha256, endpoint, preset, optionsJson));
          if (existing) {
            duplicates.push({ input: label, modelId: existing.id });
            return;
          }
        }
        labels.push(label);
        toAdd.push({
          // Not made yet but on its way (a convert run again after Ctrl-C, a photo dropped twice, two
          // processes at once): the store joins that job, in the transaction that would insert this one.
          mayJoin: !opts.force,
          joinOutput: opts.outputDir ? { dir: opts.outputDir, name: input.originalName } : null,
          job: {
            id: randomUUID(),
            endpoint,
            provider: model.provider,
            preset,
            optionsJson,
            inputName: input.originalName,
            inputPath: toStoredPath(deps.dataDir, input.path),
            inputSha256: input.sha256,
            inputMime: input.mime,
            maxAttempts: deps.maxAttempts,
            createdAt,
            estimatedCostUsd: estimate,
            message: input.warnings.length > 0 ? input.warnings.join(' ') : 'Waiting to start',
            outputDir: opts.outputDir ?? null,
          },
        });
      });
      if (toAdd.length === 0) return;
      const chunk = deps.store.addOrJoin(toAdd, (job) => deps.inputs.insert(job.id, [singleInputOf(job)]));
      const added = chunk.flatMap((outcome) => (outcome.kind === 'added' ? [outcome.row] : []));
      for (const row of added) madeHere.add(row.id);
      outcomes.push(...chunk);
      // A joined job back in the queue (its paid result is fetched again) starts like a new one.
      deps.onAdded([...added, ...chunk.flatMap((outcome) => (outcome.revived ? [outcome.row] : []))]);
    };

    // Jobs are inserted while later images are still being prepared, so the first one starts as soon
    // as its image is ready, not after the whole drop (200 photos took seconds before any was sent).
    // After the first EAGER_JOBS, at most one insert per INSERT_EVERY_MS; always in order.
    const prepared = new Array<PrepareResult | undefined>(items.length);
    let inserted = 0;
    let lastInsertAt: number | null = null;
    let later: ReturnType<typeof setTimeout> | null = null;
    /** An insert the store refused: no more are made, and the call rejects with it. */
    const failure: { failed: boolean; error?: unknown; from: number } = { failed: false, from: 0 };
    const insertReady = (force: boolean) => {
      if (failure.failed) return;
      let end = inserted;
      while (end < items.length && prepared[end] !== undefined) end++;
      if (end === inserted) return;
      const wait = lastInsertAt === null || force || inserted < EAGER_JOBS ? 0 : lastInsertAt + INSERT_EVERY_MS - Date.now();
      if (wait > 0) {
        later ??= setTimeout(() => {
          later = null;
          insertReady(false);
        }, wait);
        return;
      }
      const from = inserted;
      inserted = end;
      lastInsertAt = Date.now();
      try {
        insert(prepared.slice(from, end) as PrepareResult[], from);
      } catch (error) {
        failure.failed = true;
        failure.error = error;
        failure.from = from;
      }
    };
    try {
      await mapLimit(items, 3, async (item, i) => {
        prepared[i] = item.kind === 'path' ? await prepareInput(item.path, deps.inputsDir, limits) : await prepareInputBytes(item.bytes, item.name, deps.inputsDir, limits);
        insertReady(false);
      });
    } finally {
      if (later) clearTimeout(later);
    }
    insertReady(true);
    if (failure.failed) {
      // The jobs inserted before the failure stay queued: they are synced, and the answer says what
      // was added and what to do, not "Something went wrong inside the app".
      const rest = items.slice(failure.from).map((item) => (item.kind === 'path' ? item.path : item.name));
      let unsynced: unknown = null;
      if (outcomes.length > 0) await deps.store.syncToDisk().catch((error: unknown) => (unsynced = error));
      throw partialAddError({ total: items.length, added: outcomes.length, rest, force: opts.force === true, error: failure.error, unsynced, heldUntil: diskFailureDetail(deps.store) });
    }
    // The caller is answered once its jobs would survive a power cut (queue/store-actions insertDurably).
    if (outcomes.length > 0) await syncNewJobs(deps.store, new Set(outcomes.map((outcome) => outcome.row.id)).size);
    const joined = outcomes.flatMap((outcome, i) =>
      outcome.kind !== 'joined'
        ? []
        : // Joined a job an earlier copy made in this same call: that job is new, and counts as added.
          [{ input: labels[i]!, jobId: outcome.row.id, ...(madeHere.has(outcome.row.id) ? { sameCall: true } : {}) }],
    );
    // Every job the caller follows, once: the ones made now and the ones joined.
    const following = [...new Map(outcomes.map((outcome) => [outcome.row.id, outcome.row])).values()];
    return { added: following.map(toJob), rejected, duplicates, joined };
  }

  async function addFolder(dir: string, opts: AddJobsOptions): Promise<AddJobsResult> {
    let files: string[];
    try {
      const { listImagesInFolder } = await import('../images');
      files = await listImagesInFolder(dir);
    } catch (error) {
      throw new AppError('not_found', errorMessage(error));
    }
    if (files.length === 0) return { added: [], rejected: [{ input: dir, reason: 'The folder has no images. Add PNG, JPEG or WebP images to it, or choose the images themselves.' }], duplicates: [] };
    return addImages(
      files.map((path) => ({ kind: 'path' as const, path })),
      opts,
    );
  }

  return { addImages, addFolder };
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

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
