// Adding work: prepare each image (validate, orient, downscale, strip metadata), skip inputs whose
// model already exists with the same settings (unless forced), and insert the jobs as their images
// are ready (in order, a few at a time: the first can start while the rest are prepared) - or join
// the job already on its way for the same image and settings (the caller gets that job to follow):
// the store looks for it in the insert's own transaction, so two processes cannot both insert.
// The window's adds (holdConcerns) keep back an image a paid generator would make a poorer model
// from, for the user to send anyway. What a failed add says: intake-failures.ts.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { FolderGoneError, refuseWhileFolderGone } from './data-folder';
import type { AddJobsResult, ImageItem } from '../../shared/contract';
import type { Preset } from '../../shared/domain';
import { ACCEPTED_IMAGE_NAMES } from '../../shared/image-formats';
import { AppError } from '../../shared/result';
import type { InputLimits, JpegEncoding, PrepareResult } from '../images';
import { modelKeysOf, type LibraryStore } from '../library/store';
import { DEFAULT_MODEL_ID, getModel, validateOptions } from '../models/catalog';
import type { ModelDefinition } from '../models/types';
import { toAbsolutePath, toStoredPath } from '../paths';
import { toJob, type JobRow, type JobStore, type JobToAdd } from '../queue/store';
import type { AddJobsOptions } from '../services-types';
import { inputSetProblem } from '../models/input-set';
import { heldJobKey, singleInputOf, type JobInputStore } from './job-inputs';
import { errorMessage } from '../util/errors';
import { canonicalJson } from '../util/canonical-json';
import { mapLimit } from '../util/map-limit';
import { diskFailureDetail, partialAddError, syncNewJobs } from './intake-failures';

/**
 * After the first insert of a call, at most one more per this many ms: each is a transaction on the
 * thread that serves the window (10 ms cost more engine CPU per job in the queue bench than 100) -
 * unless the queue has run dry and a job inserted now would be claimed at once (IntakeDeps.wantsJobs).
 */
const INSERT_EVERY_MS = 100;

/**
 * The first jobs of a call are inserted as their images are ready, not INSERT_EVERY_MS apart: enough
 * to fill every slot (the most jobs at once the settings allow is 8) and to have the next 8 uploaded
 * and armed before those first ones finish, before the throttle applies. A 1,000-photo drop had 2 jobs
 * running for its first 100 ms, waiting for the second insert; with 8 eager jobs the 9th was queued
 * only when the first had already finished at FAL (queue bench), and its slot stood free meanwhile.
 */
const EAGER_JOBS = 16;

export interface IntakeDeps {
  store: JobStore;
  inputs: JobInputStore;
  library: LibraryStore;
  dataDir: string;
  inputsDir: string;
  maxAttempts: number;
  /** A function is read at each add: the app's settings (upload limit, long side) apply without a restart. */
  inputLimits?: InputLimits | (() => InputLimits);
  /** How photos are encoded for upload: the data folder's own (db/input-encoding.ts). */
  jpegEncoding: JpegEncoding;
  /** Price estimate (default: the catalog's built-in price). */
  estimateCostUsd?: (model: ModelDefinition, preset: Preset, options: Record<string, unknown>) => number;
  now: () => number;
  /** New rows were inserted. */
  onAdded: (rows: JobRow[]) => void;
  /** The data folder was moved or removed under the running app (data-folder.ts): nothing is added. */
  dataFolderGone?: () => boolean;
  /** The queue has run dry with room for more: a job inserted now would be claimed at once (Scheduler.wantsJobs). */
  wantsJobs?: () => boolean;
}

export interface Intake {
  addImages(items: ImageItem[], opts: AddJobsOptions): Promise<AddJobsResult>;
  addFolder(dir: string, opts: AddJobsOptions): Promise<AddJobsResult>;
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
    refuseWhileFolderGone(deps.dataDir, deps.dataFolderGone);
    const { DEFAULT_INPUT_LIMITS, prepareInput, prepareInputBytes } = await import('../images');
    const limits = limitsNow(deps.inputLimits) ?? DEFAULT_INPUT_LIMITS;

    const rejected: AddJobsResult['rejected'] = [];
    const duplicates: AddJobsResult['duplicates'] = [];
    /** Each outcome's image, in the order of `outcomes`: its name and its place in `items`. */
    const labels: { input: string; item: number }[] = [];
    const warnings: NonNullable<AddJobsResult['warnings']> = [];
    const held: NonNullable<AddJobsResult['held']> = [];
    // The check before paying: only a paid generator's image waits for the user's word.
    const holdConcerns = opts.holdConcerns === true && model.provider !== 'offline';
    const outcomes: ReturnType<JobStore['addOrJoin']> = [];
    /** Jobs made by this call (a later copy of the same image joins one and counts as added). */
    const madeHere = new Set<string>();

    /** Inserts the jobs of prepared images (one transaction), in the order they were given. */
    const insert = (results: readonly PrepareResult[], from: number) => {
      // Gone since the drop started: its photos were not written where the database is (the ones
      // prepared after it went were refused by the disk).
      refuseWhileFolderGone(deps.dataDir, deps.dataFolderGone);
      const toAdd: JobToAdd[] = [];
      /** Images held before paying, and what to say of each: joined to their job on its way, else held. */
      const toJoin: JobToAdd[] = [];
      const joinLabels: (NonNullable<AddJobsResult['held']>[number] & { item: number })[] = [];
      const createdAt = deps.now();
      results.forEach((result, offset) => {
        const place = from + offset;
        const item = items[place]!;
        const label = item.kind === 'path' ? item.path : item.name;
        if (!result.ok) {
          rejected.push({ input: label, reason: result.reason });
          return;
        }
        const input = result.input;
        if (!opts.force) {
          // Known by its prepared bytes or by its original file (other prepared bytes: another long side, sharp version, CPU).
          const existing = deps.library.findByParams(modelKeysOf(input.sha256, input.sourceSha256, endpoint, preset, optionsJson));
          if (existing) {
            duplicates.push({ input: label, modelId: existing.id, item: place });
            return;
          }
        }
        const concerned = holdConcerns && input.concerns.length > 0;
        if (!concerned) {
          labels.push({ input: label, item: place });
          for (const text of input.concerns) warnings.push({ input: label, text });
        }
        (concerned ? toJoin : toAdd).push({
          // Not made yet but on its way (a convert run again after Ctrl-C, a photo dropped twice, two
          // processes at once): the store joins that job, in the transaction that would insert this one.
          mayJoin: !opts.force,
          joinAny: opts.unattended === true,
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
            sourceSha256: input.sourceSha256,
            inputMime: input.mime,
            maxAttempts: deps.maxAttempts,
            createdAt,
            estimatedCostUsd: estimate,
            message: input.warnings.length > 0 ? input.warnings.join(' ') : 'Waiting to start',
            outputDir: opts.outputDir ?? null,
          },
        });
        if (concerned) joinLabels.push({ input: label, text: input.concerns.join(' '), item: place, jobKey: heldJobKey(input.sourceSha256, endpoint, preset, optionsJson) });
      });
      const inputGone = (row: JobRow) => !statSync(toAbsolutePath(deps.dataDir, row.inputPath), { throwIfNoEntry: false })?.isFile();
      const chunk = toAdd.length > 0 ? deps.store.addOrJoin(toAdd, (job) => deps.inputs.insert(job.id, [singleInputOf(job)]), inputGone) : [];
      // A held image whose job is already on its way (sent anyway before) joins it; the rest wait for the user.
      const joinedHeld = !opts.force && toJoin.length > 0 ? deps.store.joinOnly(toJoin, inputGone) : toJoin.map(() => null);
      joinedHeld.forEach((outcome, i) => {
        if (!outcome) return held.push(joinLabels[i]!);
        labels.push({ input: joinLabels[i]!.input, item: joinLabels[i]!.item });
        chunk.push(outcome);
      });
      if (chunk.length === 0) return;
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
    /** On the monotonic clock: the wall clock set back (NTP, the user) held every insert until the drop was prepared. */
    let lastInsertAt: number | null = null;
    let later: ReturnType<typeof setTimeout> | null = null;
    /** An insert the store refused: no more are made, and the call rejects with it. */
    const failure: { failed: boolean; error?: unknown; from: number } = { failed: false, from: 0 };
    const insertReady = (force: boolean) => {
      if (failure.failed) return;
      let end = inserted;
      while (end < items.length && prepared[end] !== undefined) end++;
      if (end === inserted) return;
      const wait = lastInsertAt === null || force || inserted < EAGER_JOBS || deps.wantsJobs?.() ? 0 : lastInsertAt + INSERT_EVERY_MS - performance.now();
      if (wait > 0) {
        later ??= setTimeout(() => {
          later = null;
          insertReady(false);
        }, wait);
        return;
      }
      const from = inserted;
      inserted = end;
      lastInsertAt = performance.now();
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
        prepared[i] = item.kind === 'path' ? await prepareInput(item.path, deps.inputsDir, limits, deps.jpegEncoding) : await prepareInputBytes(item.bytes, item.name, deps.inputsDir, limits, deps.jpegEncoding);
        insertReady(false);
      });
    } finally {
      if (later) clearTimeout(later);
    }
    insertReady(true);
    if (failure.failed) {
      if (failure.error instanceof FolderGoneError && outcomes.length === 0) throw failure.error;
      // The jobs inserted before the failure stay queued: they are synced, and the answer says what
      // was added and what to do, not "Something went wrong inside the app".
      const rest = items.slice(failure.from).map((item) => (item.kind === 'path' ? item.path : item.name));
      let unsynced: unknown = null;
      if (outcomes.length > 0) await deps.store.syncToDisk().catch((error: unknown) => (unsynced = error));
      throw partialAddError({ total: items.length, added: outcomes.length, rest, force: opts.force === true, error: failure.error, unsynced, heldUntil: diskFailureDetail(deps.store) });
    }
    // The caller is answered once its jobs would survive a power cut (queue/store-add insertDurably).
    if (outcomes.length > 0) {
      const offlineOnly = outcomes.every((outcome) => outcome.row.provider === 'offline');
      await syncNewJobs(deps.store, new Set(outcomes.map((outcome) => outcome.row.id)).size, offlineOnly);
    }
    const joined = outcomes.flatMap((outcome, i) =>
      outcome.kind !== 'joined'
        ? []
        : // Joined a job an earlier copy made in this same call: that job is new, and counts as added.
          [{ input: labels[i]!.input, jobId: outcome.row.id, ...(madeHere.has(outcome.row.id) ? { sameCall: true } : {}), item: labels[i]!.item }],
    );
    // Every job the caller follows, once: the ones made now and the ones joined.
    const following = [...new Map(outcomes.map((outcome) => [outcome.row.id, outcome.row])).values()];
    return { added: following.map(toJob), rejected, duplicates, joined, ...(warnings.length > 0 ? { warnings } : {}), ...(held.length > 0 ? { held } : {}) };
  }

  async function addFolder(dir: string, opts: AddJobsOptions): Promise<AddJobsResult> {
    let files: string[];
    try {
      const { listImagesInFolder } = await import('../images');
      files = await listImagesInFolder(dir);
    } catch (error) {
      throw new AppError('not_found', errorMessage(error));
    }
    if (files.length === 0) return { added: [], rejected: [{ input: dir, reason: `The folder has no images. Add ${ACCEPTED_IMAGE_NAMES} images to it, or choose the images themselves.` }], duplicates: [] };
    return addImages(
      files.map((path) => ({ kind: 'path' as const, path })),
      opts,
    );
  }

  return { addImages, addFolder };
}

/** The limits an add prepares its photos with, as they are now (null: the defaults). */
export function limitsNow(given: IntakeDeps['inputLimits']): InputLimits | null {
  return (typeof given === 'function' ? given() : given) ?? null;
}
