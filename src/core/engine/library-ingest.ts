// From a model file's bytes to a library entry: validate the GLB, store it by content hash (a
// downloaded temp file is moved into place, not written again), keep the preview image when there is
// one, then commit the model row and the job's success in one transaction. Files stored for a commit
// that did not happen are removed again.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { keepFresh, sha256Hex, unlinkQuietly } from '../library/files';
import { adoptByContentHash, storeByContentHash } from '../library/content-store';
import { downloadToTemp, type DownloadedFile } from '../library/download';
import { readImageHeader } from '../library/image-header';
import { modelKeysOf } from '../library/store';
import { parseJobInputs } from '../queue/job-inputs-json';
import type { FalFileRef } from '../models/types';
import { PROGRESS } from '../fal/progress';
import { errorMessage } from '../util/errors';
import { nameWithoutExtension } from '../../shared/name-from-file';
import { endedPatch } from './ownership';
import type { RunContext } from './run-context';
import { JobFailure, LeaseLostError } from './run-errors';
import { dataFolderGoneFailure } from './data-folder';

/**
 * A model to ingest: its bytes, and the temp file in the library folder they came from, if any - whose
 * fsync may still run (`synced`: the check runs meanwhile; the file is stored or removed only after it).
 */
export interface ModelSource {
  bytes: Uint8Array;
  tempFile?: { path: string; size: number; sha256: string; synced?: Promise<void> };
}

/** Removes the model's temp file (once its fsync is over: Windows cannot remove an open file). */
async function dropTempFile(model: ModelSource): Promise<void> {
  if (!model.tempFile) return;
  await model.tempFile.synced?.catch(() => undefined);
  await unlinkQuietly(model.tempFile.path);
}

/** Stores the model's temp file by content hash once it is on disk (a failed fsync fails the store and removes it). */
async function adoptWhenSynced(libraryDir: string, temp: NonNullable<ModelSource['tempFile']>) {
  try {
    await temp.synced;
  } catch (error) {
    await unlinkQuietly(temp.path);
    // Paid for and fetched, but not safely on disk: nothing is kept; fetching it again costs nothing.
    throw new JobFailure(
      'result_download_failed',
      `The model was made (and paid for), but it could not be saved on this computer's disk (${errorMessage(error)}). Check the disk, then use Download again (free).`,
      false,
    );
  }
  return adoptByContentHash(libraryDir, temp, 'glb');
}

/**
 * Validates, stores and commits a model; the job ends succeeded. The temp file is gone afterwards.
 * `stopPreview`: a model that cannot be stored stops its preview, rather than wait for it to be dropped.
 */
export async function ingestModel(
  ctx: RunContext,
  model: ModelSource,
  preview: () => Promise<string | null>,
  costUsd: number | null,
  stopPreview?: () => void,
): Promise<void> {
  const { deps, writer } = ctx;
  writer.soft({ progress: PROGRESS.validating, message: 'Checking the model' });
  let validation;
  try {
    validation = await deps.validateGlb(model);
  } catch (error) {
    await dropTempFile(model);
    throw error;
  }
  if (!validation.ok) {
    await dropTempFile(model);
    throw new JobFailure('invalid_result', unusableModelMessage(validation.reason), true);
  }
  writer.soft({ progress: PROGRESS.storing, message: 'Adding the model to the library' });
  // Stored where the database is, or not at all (a folder made anew at the old place would hold it unseen).
  if (deps.dataFolderGone()) {
    await dropTempFile(model);
    throw dataFolderGoneFailure(deps.dirs.data, writer.row.falRequestId !== null);
  }
  // The model and its preview are stored side by side; whichever is stored is removed again below
  // if the other one or the commit fails.
  const storingModel = model.tempFile ? adoptWhenSynced(deps.dirs.library, model.tempFile) : storeByContentHash(deps.dirs.library, model.bytes, 'glb');
  storingModel.catch(() => stopPreview?.());
  const [storedModel, storedPreview] = await Promise.allSettled([storingModel, preview()]);
  if (storedModel.status === 'rejected' || storedPreview.status === 'rejected') {
    await removeUnreferenced(
      ctx,
      storedModel.status === 'fulfilled' && !storedModel.value.existed ? storedModel.value.path : null,
      storedPreview.status === 'fulfilled' ? storedPreview.value : null,
    );
    throw storedModel.status === 'rejected' ? storedModel.reason : (storedPreview as PromiseRejectedResult).reason;
  }
  let stored = storedModel.value;
  let previewPath = storedPreview.value;
  const now = deps.now();
  const modelId = randomUUID();
  const row = writer.row;
  let committed;
  for (let attempt = 1; ; attempt++) {
    try {
      // With the job's pending steps (running, finished at FAL) and journal lines: one commit.
      committed = writer.commit(
        { ...endedPatch('succeeded', now), progress: PROGRESS.done, modelId, message: 'Done', errorCode: null, errorMessage: null },
        'Model added to the library',
        now,
        () => {
          // Another job storing the same content may have removed the file since (its commit failed,
          // or its model was deleted); that removal and this check both hold the database's write lock.
          if (!existsSync(stored.path)) throw new StoredFileGone();
          if (previewPath && !existsSync(previewPath)) previewPath = null;
          deps.library.insert({
            id: modelId,
            // A set's name has no extension to remove (a second cut made "chair v1.2" "chair v1").
            name: (row.inputsJson ? row.inputName : nameWithoutExtension(row.inputName)).trim() || 'Model',
            createdAt: now,
            endpoint: row.endpoint,
            preset: row.preset,
            jobId: row.id,
            sha256: stored.sha256,
            filePath: stored.path,
            stats: validation.stats,
            previewPath,
            costUsd,
            // A set names every image (and so is found by any of their names); one image, its own name.
            sourceName: row.inputsJson ? parseJobInputs(row.inputsJson).map((input) => input.name).join(', ') : row.inputName,
            sourcesJson: row.inputsJson,
            // Found again by its prepared input, or by its original file (single images).
            ...modelKeysOf(row.inputSha256, row.sourceSha256, row.endpoint, row.preset, row.optionsJson),
          });
        },
      );
      break;
    } catch (error) {
      if (error instanceof StoredFileGone) {
        // Stored again from memory while the bytes are still here (not moved to the check worker).
        if (attempt < 3 && model.bytes.byteLength > 0 && sha256Hex(model.bytes) === stored.sha256) {
          stored = await storeByContentHash(deps.dirs.library, model.bytes, 'glb');
          continue;
        }
        await removeUnreferenced(ctx, null, previewPath);
        throw new JobFailure(
          'result_download_failed',
          'The model file was removed while it was being added to the library (another job was storing the same model). Use Download again (free).',
          false,
        );
      }
      await removeUnreferenced(ctx, stored.existed ? null : stored.path, previewPath);
      throw error;
    }
  }
  if (!committed) {
    await removeUnreferenced(ctx, stored.existed ? null : stored.path, previewPath);
    throw new LeaseLostError();
  }
  deps.onLibraryAdded(modelId);
}

/** Why a finished model was refused, and what the user can do. */
export function unusableModelMessage(reason: string): string {
  // The validator's own sentences end in a full stop: one stop, then the way on.
  return `The generated file is not a usable GLB model: ${reason.replace(/\.+$/, '')}. Nothing was added to the library; Generate again makes a new one (FAL charges again).`;
}

/**
 * Files this run stored for a commit that did not happen, unless a library row uses them (checked and
 * removed under the write lock, so a job committing the same file meanwhile either keeps it or sees it gone).
 */
async function removeUnreferenced(ctx: RunContext, file: string | null, preview: string | null): Promise<void> {
  for (const path of [file, preview]) {
    if (path) ctx.deps.library.removeFileUnlessReferenced(path);
  }
}

/** The stored model file vanished before the commit (see ingestModel): store it again. */
class StoredFileGone extends Error {}

/** A downloaded preview's temp file, kept young (see keepFresh) until it is stored or dropped. */
export interface PreviewFile extends DownloadedFile {
  stopFresh(): void;
}

/**
 * FAL's preview image, downloaded into a temp file in the previews folder alongside the model, so
 * storing it is a rename; not synced (a card whose preview a power cut took shows the source photo); never fails the job (null when it cannot be had). The file waits
 * for its model (maybe minutes): it is kept young meanwhile, else another process's clean-up takes it.
 */
export async function downloadPreview(ctx: RunContext, ref: FalFileRef, signal: AbortSignal): Promise<PreviewFile | null> {
  const { policy } = ctx.deps;
  try {
    const file = await downloadToTemp(ref.url, ctx.deps.dirs.previews, {
      maxBytes: policy.maxPreviewBytes,
      timeoutMs: Math.min(60_000, policy.downloadTimeoutMs),
      trustedOrigins: ctx.deps.downloadOrigins(),
      signal,
      keepBytes: true,
      keepFreshMs: policy.tempFileTouchMs,
      // Done without after a power cut (the card shows the source photo): not worth two waits for
      // the disk per job (file and folder), on the thread pool the models' fsyncs share.
      durable: false,
    });
    return { ...file, stopFresh: keepFresh(file.path, policy.tempFileTouchMs) };
  } catch (error) {
    if (!signal.aborted) ctx.writer.log(`Preview image not kept: ${ctx.deps.redact(errorMessage(error))}`);
    return null;
  }
}

/**
 * Stores a downloaded preview by content hash (its temp file moved into place); null (and a journal
 * line) when it is not an image. The temp file is gone afterwards.
 */
export async function storePreview(ctx: RunContext, file: PreviewFile | null): Promise<string | null> {
  if (!file) return null;
  try {
    return await storePreviewFile(ctx, file);
  } finally {
    file.stopFresh();
  }
}

async function storePreviewFile(ctx: RunContext, file: PreviewFile): Promise<string | null> {
  const header = readImageHeader(file.bytes ?? new Uint8Array());
  const ext = PREVIEW_EXTENSIONS[header?.mimeType ?? ''];
  if (!header || !ext) {
    await unlinkQuietly(file.path);
    ctx.writer.log('Preview image not kept: not a PNG, JPEG or WebP image');
    return null;
  }
  if (header.width * header.height > MAX_PREVIEW_PIXELS) {
    await unlinkQuietly(file.path);
    ctx.writer.log(`Preview image not kept: it is ${header.width} x ${header.height} pixels, more than a preview needs`);
    return null;
  }
  try {
    return (await adoptByContentHash(ctx.deps.dirs.previews, file, ext, false)).path;
  } catch (error) {
    ctx.writer.log(`Preview image not kept: ${ctx.deps.redact(errorMessage(error))}`);
    return null;
  }
}

/** A downloaded preview that will not be stored (the model did not make it): its temp file goes. */
export async function dropPreview(preview: Promise<PreviewFile | null>): Promise<void> {
  const file = await preview.catch(() => null);
  if (!file) return;
  file.stopFresh();
  await unlinkQuietly(file.path);
}

/**
 * The library's cards show the preview, which the window decodes whole whatever the card's size: a flat
 * PNG of 16000 x 16000 pixels is 776 KB on disk, well under the download cap, and took the window ~1 GB
 * and seconds to show. FAL's renders and textures are a few thousand pixels a side at most.
 */
const MAX_PREVIEW_PIXELS = 4096 * 4096;

const PREVIEW_EXTENSIONS: Record<string, 'png' | 'jpg' | 'webp'> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
