// Everything that brings images in (drop, picker, paste, menu) ends here: files become jobs:add
// calls (by path in Electron, by bytes in a browser), folders become jobs:addFolder (Electron), and
// the combined answer (added, rejected with reasons, duplicates) is kept for the notice under the
// drop zone. When the generator can make one model from several images, a drop of several files is
// held (`staged`) until the user chooses one model from them (jobs:addSet) or one model each.
import { useCallback, useState } from 'react';
import type { AddJobsResult, ImageItem } from '../../../../shared/contract';
import type { Job, RejectedInput } from '../../../../shared/domain';
import type { ViewRole } from '../../../../shared/input-roles';
import { call } from '../../api';
import type { CollectedInput } from '../../lib/collect-files';
import { errorMessage } from '../../lib/errors';
import { buildImageItems } from '../../lib/image-items';
import type { JoinedImage } from './joined-note';

export interface IntakeResult {
  added: Job[];
  rejected: RejectedInput[];
  duplicates: { input: string; modelId: string }[];
  /** Images that joined a job already on its way (same image, same settings): nothing new was sent. */
  joined: JoinedImage[];
  /** Non-image files inside dropped folders that were left out. */
  skipped: number;
  /** Items that matched an existing model, kept so "Make again" can resend them with force. */
  duplicateItems: ImageItem[];
  /** A set that matched an existing model, kept for "Make again" likewise. */
  duplicateSet?: { members: SetFile[]; endpoint: string };
}

/** One image of a set being sent: the file and, for models that name views, its view. */
export interface SetFile {
  file: File;
  role: ViewRole | null;
}

export interface ImageIntake {
  busy: boolean;
  result: IntakeResult | null;
  /** Several dropped images waiting for "one model from these" or "one model each". */
  staged: File[] | null;
  /** Sends the staged images as one job with this generator; they stay staged if it was refused. */
  addSet(members: SetFile[], endpoint: string): Promise<void>;
  /** Sends the staged images as one job each. */
  addEach(): Promise<void>;
  unstage(): void;
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
  /** Hold drops of several images for the one-model-from-these choice (multi-image generators). */
  stageSets?: boolean;
  onAdded(jobs: Job[]): void;
  onError(message: string): void;
}

const itemName = (item: ImageItem) => (item.kind === 'path' ? item.path : item.name);

function merge(into: IntakeResult, answer: AddJobsResult, sent: ImageItem[]): void {
  into.added.push(...answer.added);
  into.rejected.push(...answer.rejected);
  into.duplicates.push(...answer.duplicates);
  into.joined.push(...(answer.joined ?? []));
  const duplicateNames = new Set(answer.duplicates.map((d) => d.input));
  // Folder and picker calls send no items: their duplicates are paths the app can be given again.
  const resend = sent.length ? sent.filter((item) => duplicateNames.has(itemName(item))) : answer.duplicates.map((d) => ({ kind: 'path' as const, path: d.input }));
  into.duplicateItems.push(...resend);
}

export function useImageIntake(options: IntakeOptions): ImageIntake {
  const { endpoint, preset, transport, openFileInput, onAdded, onError, stageSets = false } = options;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IntakeResult | null>(null);
  const [staged, setStaged] = useState<File[] | null>(null);

  const run = useCallback(
    async (work: (acc: IntakeResult) => Promise<void>) => {
      const acc: IntakeResult = { added: [], rejected: [], duplicates: [], joined: [], skipped: 0, duplicateItems: [] };
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

  const addFiles = useCallback(
    (files: File[]) =>
      run(async (acc) => {
        const { batches, rejected } = await buildImageItems(files);
        acc.rejected.push(...rejected);
        for (const items of batches) merge(acc, await call('jobs:add', { items, endpoint, preset }), items);
      }),
    [run, endpoint, preset],
  );

  const add = useCallback(
    async (input: CollectedInput) => {
      if (stageSets && input.folderPaths.length === 0 && input.files.length >= 2) {
        setStaged(input.files);
        setResult(null);
        return;
      }
      await run(async (acc) => {
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
      });
    },
    [run, endpoint, preset, stageSets],
  );

  const sendSet = useCallback(
    (members: SetFile[], setEndpoint: string, force: boolean) =>
      run(async (acc) => {
        const { batches, rejected } = await buildImageItems(members.map((m) => m.file));
        acc.rejected.push(...rejected);
        const items = batches.flat();
        // A set is sent whole or not at all: one unreadable image keeps it here to be fixed.
        if (rejected.length > 0 || items.length !== members.length) return;
        const inputs = items.map((item, i) => ({ item, role: members[i]!.role }));
        const answer = await call('jobs:addSet', { inputs, endpoint: setEndpoint, preset, force });
        acc.added.push(...answer.added);
        acc.rejected.push(...answer.rejected);
        acc.duplicates.push(...answer.duplicates);
        if (answer.duplicates.length > 0) acc.duplicateSet = { members, endpoint: setEndpoint };
        if (answer.added.length > 0 || answer.duplicates.length > 0) setStaged(null);
      }),
    [run, preset],
  );
  const addSet = useCallback((members: SetFile[], setEndpoint: string) => sendSet(members, setEndpoint, false), [sendSet]);

  const addEach = useCallback(async () => {
    const files = staged ?? [];
    setStaged(null);
    if (files.length) await addFiles(files);
  }, [staged, addFiles]);

  const unstage = useCallback(() => setStaged(null), []);

  const pick = useCallback(() => {
    if (transport === 'electron') {
      void run(async (acc) => merge(acc, await call('jobs:pick', { endpoint, preset }), []));
    } else {
      openFileInput();
    }
  }, [transport, run, endpoint, preset, openFileInput]);

  const makeAgain = useCallback(async () => {
    if (result?.duplicateSet) return sendSet(result.duplicateSet.members, result.duplicateSet.endpoint, true);
    const items = result?.duplicateItems ?? [];
    if (!items.length) return;
    await run(async (acc) => merge(acc, await call('jobs:add', { items, endpoint, preset, force: true }), items));
  }, [result, run, endpoint, preset, sendSet]);

  const dismiss = useCallback(() => setResult(null), []);

  return { busy, result, dismiss, add, pick, makeAgain, staged, addSet, addEach, unstage };
}
