// Builds the `items` for jobs:add from File objects: by path when the shell knows it (Electron),
// otherwise by bytes, split into batches that fit one message.
import type { ImageItem } from '../../../shared/contract';
import type { RejectedInput } from '../../../shared/domain';
import { formatBytes } from './format';
import { pathOf } from './collect-files';
import { MAX_BATCH_BYTES, MAX_BATCH_ITEMS } from './item-batches';
import { bytesItemName } from './pasted-name';

/** The contract refuses single images over 200 MB; say so before reading them. */
const MAX_IMAGE_BYTES = 200 * 1024 * 1024;

export interface ItemBatches {
  batches: ImageItem[][];
  rejected: RejectedInput[];
  /** Names that were too long to send and were cut (bytesItemName), as they were sent. */
  shortened: string[];
}

export async function buildImageItems(files: File[]): Promise<ItemBatches> {
  const batches: ImageItem[][] = [];
  const rejected: RejectedInput[] = [];
  const shortened: string[] = [];
  let current: ImageItem[] = [];
  let currentBytes = 0;
  const flush = () => {
    if (current.length) batches.push(current);
    current = [];
    currentBytes = 0;
  };
  for (const file of files) {
    const path = pathOf(file);
    let item: ImageItem;
    let size = 0;
    if (path) {
      item = { kind: 'path', path };
    } else {
      if (file.size > MAX_IMAGE_BYTES) {
        rejected.push({ input: file.name, reason: `${file.name} is ${formatBytes(file.size)}; images up to 200 MB can be added.` });
        continue;
      }
      try {
        const { name, cut } = bytesItemName(file.name);
        item = { kind: 'bytes', name, bytes: new Uint8Array(await file.arrayBuffer()) };
        size = file.size;
        if (cut) shortened.push(name);
      } catch {
        rejected.push({ input: file.name, reason: `${file.name} could not be read. It may have been moved or deleted.` });
        continue;
      }
    }
    if (current.length >= MAX_BATCH_ITEMS || (current.length > 0 && currentBytes + size > MAX_BATCH_BYTES)) flush();
    current.push(item);
    currentBytes += size;
  }
  flush();
  return { batches, rejected, shortened };
}
