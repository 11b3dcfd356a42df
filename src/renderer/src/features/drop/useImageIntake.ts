// Everything that brings images in (drop, picker, paste, menu) ends here: files become jobs:add
// calls (by path in Electron, by bytes in a browser), folders become jobs:addFolder (Electron), and
// the combined answer (added, rejected with reasons, duplicates, images that joined a job on its way;
// intake-result.ts) is kept for the notice under the drop zone, whose "Make again anyway" sends exactly
// those images again with force, and whose "Send anyway" sends the images held before paying (a paid
// generator, a too small or animated photo; holdConcerns). When the generator can make one model from several images, a drop of several files is
// held (`staged`) until the user chooses one model from them (jobs:addSet) or one model each.
import { useCallback, useState } from 'react';
import type { Job, Preset } from '../../../../shared/domain';
import { ACCEPTED_IMAGE_NAMES } from '../../../../shared/image-formats';
import { call } from '../../api';
import type { CollectedInput } from '../../lib/collect-files';
import { errorMessage } from '../../lib/errors';
import { buildImageItems } from '../../lib/image-items';
import { batchItems } from '../../lib/item-batches';
import { emptyIntakeResult, heldBatches, keepHeld, mergeAnswer, type IntakeResult, type SetFile } from './intake-result';

export type { IntakeResult, SetFile } from './intake-result';

/** What "Make again anyway" makes again: images already made, or images that joined a job on its way. */
export type MakeAgainKind = 'duplicates' | 'joined';

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
  /** Makes a new job for exactly those images of the last result, charged again (force). */
  makeAgain(kind: MakeAgainKind): Promise<void>;
  /** Sends the images the last result held before paying (they may make a poorer model), as the user said to. */
  sendHeld(): Promise<void>;
  /** Leaves the held images out: nothing is sent for them. */
  dropHeld(): void;
}

export interface IntakeOptions {
  endpoint: string;
  preset: 'draft' | 'standard' | 'high';
  transport: 'electron' | 'web';
  /** Opens the page's own file input (browser transport). */
  openFileInput(): void;
  /** Hold drops of several images for the one-model-from-these choice (multi-image generators). */
  stageSets?: boolean;
  /** Marks where the job events stood when a drop's first call began (useJobs' mark). */
  markJobEvents(): number;
  /** The drop's added jobs, with the mark taken before its first call (its answers may be older than events since). */
  onAdded(jobs: Job[], since: number): void;
  onError(message: string): void;
}

export function useImageIntake(options: IntakeOptions): ImageIntake {
  const { endpoint, preset, transport, openFileInput, markJobEvents, onAdded, onError, stageSets = false } = options;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IntakeResult | null>(null);
  const [staged, setStaged] = useState<File[] | null>(null);

  const run = useCallback(
    /** `sendsHeld`: the run sends the notice's held images (else they stay in the next notice: keepHeld). */
    async (work: (acc: IntakeResult) => Promise<void>, sentWith: IntakeResult['sentWith'], sendsHeld = false) => {
      const acc = emptyIntakeResult(sentWith);
      const since = markJobEvents();
      setBusy(true);
      try {
        await work(acc);
      } catch (err) {
        onError(errorMessage(err));
      } finally {
        setBusy(false);
        if (acc.added.length) onAdded(acc.added, since);
        if (acc.added.length || acc.rejected.length || acc.duplicates.length || acc.held.length || acc.skipped) setResult((prev) => (sendsHeld ? acc : keepHeld(prev, acc)));
      }
    },
    [markJobEvents, onAdded, onError],
  );

  const addFiles = useCallback(
    (files: File[]) =>
      run(async (acc) => {
        const { batches, rejected, shortened } = await buildImageItems(files);
        acc.rejected.push(...rejected);
        acc.shortened.push(...shortened);
        for (const items of batches) mergeAnswer(acc, await call('jobs:add', { items, endpoint, preset, holdConcerns: true }), items);
      }, { endpoint, preset }),
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
          mergeAnswer(acc, await call('jobs:addFolder', { path, endpoint, preset, holdConcerns: true }), []);
        }
        const { batches, rejected, shortened } = await buildImageItems(input.files);
        acc.rejected.push(...rejected);
        acc.shortened.push(...shortened);
        for (const items of batches) mergeAnswer(acc, await call('jobs:add', { items, endpoint, preset, holdConcerns: true }), items);
        if (input.files.length === 0 && input.folderPaths.length === 0 && input.skipped > 0) {
          acc.rejected.push({ input: 'Dropped folder', reason: `No images were found in it (${ACCEPTED_IMAGE_NAMES}).` });
        }
      }, { endpoint, preset });
    },
    [run, endpoint, preset, stageSets],
  );

  // One set's call into `acc`. `hold`: the check before paying (holdConcerns), off for a set the user said to send anyway.
  const setWork = useCallback(
    (members: SetFile[], setEndpoint: string, setPreset: Preset, force: boolean, hold: boolean) =>
      async (acc: IntakeResult) => {
        const { batches, rejected, shortened } = await buildImageItems(members.map((m) => m.file));
        acc.rejected.push(...rejected);
        const items = batches.flat();
        // A set is sent whole or not at all: one unreadable image keeps it here to be fixed.
        if (rejected.length > 0 || items.length !== members.length) return;
        acc.shortened.push(...shortened);
        const inputs = items.map((item, i) => ({ item, role: members[i]!.role }));
        const answer = await call('jobs:addSet', { inputs, endpoint: setEndpoint, preset: setPreset, force, holdConcerns: hold });
        const kept = { duplicates: acc.duplicateItems.length, joined: acc.joinedItems.length, held: acc.heldItems.length };
        mergeAnswer(acc, answer, []);
        // The set is resent whole (its files and views), not image by image.
        acc.duplicateItems.length = kept.duplicates;
        acc.joinedItems.length = kept.joined;
        acc.heldItems.length = kept.held;
        if (answer.duplicates.length > 0) acc.duplicateSet = { members, endpoint: setEndpoint };
        if ((answer.joined ?? []).length > 0) acc.joinedSet = { members, endpoint: setEndpoint };
        const jobKey = answer.held?.[0]?.jobKey;
        const held = (answer.held ?? []).length > 0;
        if (held) acc.heldSets.push({ members, sentWith: { endpoint: setEndpoint, preset: setPreset }, ...(jobKey ? { jobKey } : {}) });
        if (answer.added.length > 0 || answer.duplicates.length > 0 || held) setStaged(null);
      },
    [],
  );
  const sendSet = useCallback(
    (members: SetFile[], setEndpoint: string, setPreset: Preset, force: boolean) => run(setWork(members, setEndpoint, setPreset, force, !force), { endpoint: setEndpoint, preset: setPreset }),
    [run, setWork],
  );
  const addSet = useCallback((members: SetFile[], setEndpoint: string) => sendSet(members, setEndpoint, preset, false), [sendSet, preset]);

  const addEach = useCallback(async () => {
    const files = staged ?? [];
    setStaged(null);
    if (files.length) await addFiles(files);
  }, [staged, addFiles]);

  const unstage = useCallback(() => setStaged(null), []);

  const pick = useCallback(() => {
    if (transport === 'electron') {
      void run(async (acc) => mergeAnswer(acc, await call('jobs:pick', { endpoint, preset, holdConcerns: true }), []), { endpoint, preset });
    } else {
      openFileInput();
    }
  }, [transport, run, endpoint, preset, openFileInput]);

  // Sent with the drop's own generator and quality (the chooser may have changed since), forced: a new
  // job for exactly those images, whatever is made or on its way. The notice asked first when charged.
  const makeAgain = useCallback(
    async (kind: MakeAgainKind) => {
      if (!result) return;
      const { endpoint: sentEndpoint, preset: sentPreset } = result.sentWith;
      const set = kind === 'joined' ? result.joinedSet : result.duplicateSet;
      if (set) return sendSet(set.members, set.endpoint, sentPreset, true);
      const items = kind === 'joined' ? result.joinedItems : result.duplicateItems;
      if (!items.length) return;
      await run(async (acc) => {
        for (const batch of batchItems(items)) mergeAnswer(acc, await call('jobs:add', { items: batch, endpoint: sentEndpoint, preset: sentPreset, force: true }), batch);
      }, result.sentWith);
    },
    [result, run, sendSet],
  );

  // Each with its own drop's generator and quality, not held again: the user has seen why and said to send.
  const sendHeld = useCallback(async () => {
    const batches = heldBatches(result?.heldItems ?? []);
    const sets = result?.heldSets ?? [];
    const first = batches[0]?.sentWith ?? sets[0]?.sentWith;
    if (!first) return;
    await run(async (acc) => {
      for (const { items, sentWith } of batches) mergeAnswer(acc, await call('jobs:add', { items, ...sentWith }), items);
      for (const { members, sentWith } of sets) await setWork(members, sentWith.endpoint, sentWith.preset, false, false)(acc);
    }, first, true);
  }, [result, run, setWork]);

  const dropHeld = useCallback(() => setResult((prev) => (prev ? { ...prev, held: [], heldItems: [], heldSets: [] } : prev)), []);

  const dismiss = useCallback(() => setResult(null), []);

  return { busy, result, dismiss, add, pick, makeAgain, sendHeld, dropHeld, staged, addSet, addEach, unstage };
}
