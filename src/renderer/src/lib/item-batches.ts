// How many images one jobs:add call carries: a drop's files (image-items.ts) and the images "Send
// anyway" or "Make again anyway" send back are split the same way. No DOM here (tested under Node).
import type { ImageItem } from '../../../shared/contract';

/** Keeps each call well under the transport's message limit (bytes travel as base64). */
export const MAX_BATCH_BYTES = 48 * 1024 * 1024;
/** Well under the contract's 1,000 items per call. */
export const MAX_BATCH_ITEMS = 200;

/**
 * Items already built, split into calls (a folder's "Send anyway" or "Make again anyway" may name
 * more images than one call takes: the contract refuses over 1,000, the wire over its message size).
 */
export function batchItems(items: readonly ImageItem[]): ImageItem[][] {
  const batches: ImageItem[][] = [];
  let current: ImageItem[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = item.kind === 'bytes' ? item.bytes.byteLength : 0;
    if (current.length >= MAX_BATCH_ITEMS || (current.length > 0 && currentBytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
