// A library model's file as export reads it: there, and still the bytes that were stored. Models are
// stored under their content hash, so a file deleted, truncated or replaced outside the app (a sync
// tool, a disk error, a hand edit) is caught here - and named, with what to do - instead of ending as
// a raw "ENOENT ... open '<path>'" or, for a plain GLB copy, as a damaged file exported as if fine.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** What is known of the model: its name (for the message) and the hash its file was stored under (the library always knows it). */
export interface StoredModel {
  name: string;
  sha256?: string;
}

export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

const missing = (model: StoredModel, path: string) =>
  new ModelFileError(
    `The file of "${model.name}" is missing from the library folder (${path}): it was deleted or moved outside the app. Put it back, or make the model again.`,
  );

const changed = (model: StoredModel, path: string) =>
  new ModelFileError(
    `The file of "${model.name}" in the library folder is damaged or was changed outside the app (${path}): it is no longer the model that was stored. Put the original back, or make the model again.`,
  );

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** The model's stored bytes, checked against their hash. */
export async function readModelFile(model: StoredModel, path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissing(error)) throw missing(model, path);
    throw error;
  }
  if (model.sha256 && createHash('sha256').update(bytes).digest('hex') !== model.sha256) throw changed(model, path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checks the file against its hash without holding it in memory (before a plain copy). */
export async function checkModelFile(model: StoredModel, path: string): Promise<void> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    if (isMissing(error)) throw missing(model, path);
    throw error;
  }
  if (model.sha256 && hash.digest('hex') !== model.sha256) throw changed(model, path);
}
