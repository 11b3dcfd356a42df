// Everything that brings images in (drop, picker, paste, menu) ends here: files become jobs:add
// calls (by path in Electron, by bytes in a browser), folders become jobs:addFolder (Electron), and
// the combined answer (added, rejected with reasons, duplicates) is kept for the notice under the
// drop zone.
import { useCallback, useState } from 'react';
import type { AddJobsResult, ImageItem } from '../../../../shared/contract';
import type { Job, RejectedInput } from '../../../../shared/domain';
import { call } from '../../api';
import type { CollectedInput } from '../../lib/collect-files';
import { errorMessage } from '../../lib/errors';
import { buildImageItems } from '../../lib/image-items';

export interface IntakeResult {
  added: Job[];
  rejected: RejectedInput[];
  duplicates: { input: string; modelId: string }[];
  /** Non-image files inside dropped folders that were left out. */
  skipped: number;
  /** Items that matched an existing model, kept so "Make again" can resend them with force. */
  duplicateItems: ImageItem[];
}

export interface ImageIntake {
  busy: boolean;
  result: IntakeResult | null;
  dismiss(): void;
  add(input: CollectedInput): Promise<void>;
  /** Opens the platform picker (Electron) or the page's file input (browser). */
  pick(): void;
  makeAgain(): Promise<void>;
}

export interface IntakeOptions {
  endpoint: string;
  preset: 'draft' | 'standard' | 'high';
  transport: 'electron' | 'web';
  /** Opens the page's own file input (browser transport). */
  openFileInput(): void;
  onAdded(jobs: Job[]): void;
  onError(message: string): void;
}

const itemName = (item: ImageItem) => (item.kind === 'path' ? item.path : item.name);

function merge(into: IntakeResult, answer: AddJobsResult, sent: ImageItem[]): void {
  into.added.push(...answer.added);
  into.rejected.push(...answer.rejected);
  into.duplicates.push(...answer.duplicates);
  const duplicateNames = new Set(answer.duplicates.map((d) => d.input));
  // Folder and picker calls send no items: their duplicates are paths the app can be given again.
  const resend = sent.length ? sent.filter((item) => duplicateNames.has(itemName(item))) : answer.duplicates.map((d) => ({ kind: 'path' as const, path: d.input }));
  into.duplicateItems.push(...resend);
}

export function useImageIntake(options: IntakeOptions): ImageIntake {
  const { endpoint, preset, transport, openFileInput, onAdded, onError } = options;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IntakeResult | null>(null);

  const run = useCallback(
    async (work: (acc: IntakeResult) => Promise<void>) => {
      const acc: IntakeResult = { added: [], rejected: [], duplicates: [], skipped: 0, duplicateItems: [] };
      setBusy(true);
      try {
        await work(acc);
      } catch (err) {
        onError(errorMessage(err));
      } finally {
        setBusy(false);
        if (acc.added.length) onAdded(acc.added);
        if (acc.added.length || acc.rejected.length || acc.duplicates.length || acc.skipped) setResult(acc);
      }
    },
    [onAdded, onError],
  );

  const add = useCallback(
    (input: CollectedInput) =>
      run(async (acc) => {
        acc.skipped = input.skipped;
        for (const path of input.folderPaths) {
          merge(acc, await call('jobs:addFolder', { path, endpoint, preset }), []);
        }
        const { batches, rejected } = await buildImageItems(input.files);
        acc.rejected.push(...rejected);
        for (const items of batches) merge(acc, await call('jobs:add', { items, endpoint, preset }), items);
        if (input.files.length === 0 && input.folderPaths.length === 0 && input.skipped > 0) {
          acc.rejected.push({ input: 'Dropped folder', reason: 'No images were found in it (PNG, JPEG, WebP, GIF or AVIF).' });
        }
      }),
    [run, endpoint, preset],
  );

  const pick = useCallback(() => {
    if (transport === 'electron') {
      void run(async (acc) => merge(acc, await call('jobs:pick', { endpoint, preset }), []));
    } else {
      openFileInput();
    }
  }, [transport, run, endpoint, preset, openFileInput]);

  const makeAgain = useCallback(async () => {
    const items = result?.duplicateItems ?? [];
    if (!items.length) return;
    await run(async (acc) => merge(acc, await call('jobs:add', { items, endpoint, preset, force: true }), items));
  }, [result, run, endpoint, preset]);

  const dismiss = useCallback(() => setResult(null), []);

  return { busy, result, dismiss, add, pick, makeAgain };
}
