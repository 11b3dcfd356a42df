// Builds the `items` for jobs:add from File objects: by path when the shell knows it (Electron),
// otherwise by bytes, split into batches that fit one message.
import type { ImageItem } from '../../../shared/contract';
import type { RejectedInput } from '../../../shared/domain';
import { formatBytes } from './format';
import { pathOf } from './collect-files';
import { batchItems } from './item-batches';
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
  const items: ImageItem[] = [];
  const rejected: RejectedInput[] = [];
  const shortened: string[] = [];
  for (const file of files) {
    const path = pathOf(file);
    let item: ImageItem;
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
        if (cut) shortened.push(name);
      } catch {
        rejected.push({ input: file.name, reason: `${file.name} could not be read. It may have been moved or deleted.` });
        continue;
      }
    }
    items.push(item);
  }
  return { batches: batchItems(items), rejected, shortened };
}
