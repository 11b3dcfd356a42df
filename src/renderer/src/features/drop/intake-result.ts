// What one drop/pick/paste did, gathered from the core's answers (a drop can take several calls:
// folders, then batches of files). Kept apart from the hook so the counting can be tested: which jobs
// this drop made, which images joined a job already on its way (or one an earlier copy in the same
// drop made), and what "Make again anyway" or "Send anyway" (images held before paying) would send
// back for exactly those images.
import type { AddJobsResult, ImageItem } from '../../../../shared/contract';
import type { Job, Preset, RejectedInput } from '../../../../shared/domain';
import type { ViewRole } from '../../../../shared/input-roles';
import { batchItems } from '../../lib/item-batches';
import { joinedOf, type JoinedImage } from './joined-note';

/** One image of a set being sent: the file and, for models that name views, its view. */
export interface SetFile {
  file: File;
  role: ViewRole | null;
}

/**
 * A held image's item and the generator and quality its drop chose: "Send anyway" sends it with those.
 * `input` and `jobKey`: its entry in `held` (the same file held again is not kept twice).
 */
export interface HeldItem {
  item: ImageItem;
  sentWith: IntakeResult['sentWith'];
  input: string;
  jobKey?: string;
}

/** A set held before paying: its images and views, and the generator and quality it was made with. */
export interface HeldSet {
  members: SetFile[];
  sentWith: IntakeResult['sentWith'];
  /** The job it would make (the core's jobKey): the same set held by two drops is kept once. */
  jobKey?: string;
}

type HeldEntry = IntakeResult['held'][number];

export interface IntakeResult {
  /** Every job the drop follows, once: the ones it made and the ones its images joined. */
  added: Job[];
  /** Ids of the jobs this drop made (new, charged once each); the rest of `added` were on their way. */
  made: string[];
  rejected: RejectedInput[];
  /** Names too long to send that were cut to fit, as they were sent (the note says so). */
  shortened: string[];
  duplicates: { input: string; modelId: string }[];
  /** Images that joined a job on its way (same image, same settings): nothing new was sent for them. */
  joined: JoinedImage[];
  /** Added images that may make a poorer model (too small, animated): `text` names the image. */
  warnings: { input: string; text: string }[];
  /** Images a paid generator would make a poorer model from, not sent until the user says so (`text` names the image). */
  held: { input: string; text: string; jobKey?: string }[];
  /** The held images' items, kept so "Send anyway" sends exactly those (with their own drop's generator). */
  heldItems: HeldItem[];
  /** Sets held before paying (`held` names their poorer photos), kept so "Send anyway" sends each whole, with its generator. */
  heldSets: HeldSet[];
  /** Non-image files inside dropped folders that were left out. */
  skipped: number;
  /** The generator and quality the drop was sent with ("Make again" uses them, not today's choice). */
  sentWith: { endpoint: string; preset: Preset };
  /** Items that matched an existing model, kept so "Make again" can resend them with force. */
  duplicateItems: ImageItem[];
  /** A set that matched an existing model, kept for "Make again" likewise. */
  duplicateSet?: { members: SetFile[]; endpoint: string };
  /** Items that joined a job on its way, kept so "Make again anyway" can make them a job of their own. */
  joinedItems: ImageItem[];
  /** A set that joined its job on its way, kept likewise. */
  joinedSet?: { members: SetFile[]; endpoint: string };
}

export function emptyIntakeResult(sentWith: IntakeResult['sentWith']): IntakeResult {
  return { added: [], made: [], rejected: [], shortened: [], duplicates: [], joined: [], warnings: [], held: [], heldItems: [], heldSets: [], skipped: 0, sentWith, duplicateItems: [], joinedItems: [] };
}

const itemName = (item: ImageItem) => (item.kind === 'path' ? item.path : item.name);

/** An answer's entry: the image's name and, from jobs:add, its place in the call's items. */
interface NamedEntry {
  input: string;
  item?: number | undefined;
}

/**
 * The sent items the answer's entries are, one item each, in order. Each is the item at the entry's
 * place: two images of one name (a browser drop from two folders) are different images, and matching by
 * name sent the wrong one anyway. An entry without a place (an older answer) is matched by name only
 * when one unused item has that name - a guess between two is never sent.
 */
function itemsOf(sent: readonly ImageItem[], entries: readonly NamedEntry[]): ImageItem[] {
  const used = new Set<number>();
  return entries.flatMap((entry) => {
    const placed = entry.item;
    const index =
      placed !== undefined
        ? placed < sent.length && itemName(sent[placed]!) === entry.input && !used.has(placed)
          ? placed
          : -1
        : onlyUnusedNamed(sent, entry.input, used);
    if (index < 0) return [];
    used.add(index);
    return [sent[index]!];
  });
}

/** The one unused item of that name, or -1 when none or several are. */
function onlyUnusedNamed(sent: readonly ImageItem[], name: string, used: ReadonlySet<number>): number {
  const found = sent.flatMap((item, i) => (!used.has(i) && itemName(item) === name ? [i] : []));
  return found.length === 1 ? found[0]! : -1;
}

/**
 * Adds one answer of the core to `into`. `sent`: the items of that call (none for a folder or the
 * picker: their images come back as paths the app can be given again).
 */
export function mergeAnswer(into: IntakeResult, answer: AddJobsResult, sent: readonly ImageItem[]): void {
  const madeBefore = new Set(into.made);
  const joined = answer.joined ?? [];
  // Jobs that were on their way before this call; every other job in the answer was made by it.
  const earlier = new Set(joined.filter((entry) => !entry.sameCall).map((entry) => entry.jobId));
  for (const job of answer.added) {
    if (!into.added.some((known) => known.id === job.id)) into.added.push(job);
    if (!earlier.has(job.id) && !madeBefore.has(job.id)) into.made.push(job.id);
  }
  into.rejected.push(...answer.rejected);
  into.duplicates.push(...answer.duplicates);
  into.warnings.push(...(answer.warnings ?? []));
  // A job an earlier call of this drop made counts as made by the drop (a copy in the next batch).
  into.joined.push(...joinedOf(answer, madeBefore));
  const resend = (entries: readonly NamedEntry[]): ImageItem[] => (sent.length ? itemsOf(sent, entries) : entries.map((entry) => ({ kind: 'path' as const, path: entry.input })));
  into.duplicateItems.push(...resend(answer.duplicates));
  into.joinedItems.push(...resend(joined));
  // The same file held again (dropped again before the user answered) is the same job: listed, sent and priced once.
  const held = (answer.held ?? []).filter((entry, i, all) => !isHeldIn(into.held, entry) && !isHeldIn(all.slice(0, i), entry));
  into.held.push(...held);
  into.heldItems.push(...held.flatMap((entry) => resend([entry]).map((item) => ({ item, sentWith: into.sentWith, input: entry.input, ...(entry.jobKey ? { jobKey: entry.jobKey } : {}) }))));
}

/** Whether `entry` (the same file, for the same job) is among `held`; without the core's jobKey, never. */
function isHeldIn(held: readonly Pick<HeldEntry, 'input' | 'jobKey'>[], entry: Pick<HeldEntry, 'input' | 'jobKey'>): boolean {
  return entry.jobKey !== undefined && held.some((other) => other.jobKey === entry.jobKey && other.input === entry.input);
}

/**
 * The notice that replaces `previous` after another drop: the images `previous` still holds (neither sent
 * nor left out) stay in it, or a second drop - even one finishing while the first was still being added -
 * hid them before the user had answered, and they were never made.
 */
export function keepHeld(previous: IntakeResult | null, next: IntakeResult): IntakeResult {
  if (!previous?.held.length) return next;
  // What both drops hold (the same file, or the same set, for the same job) is kept once: one job, one price.
  const sets = new Set(previous.heldSets.flatMap((set) => (set.jobKey ? [set.jobKey] : [])));
  return {
    ...next,
    held: [...previous.held, ...next.held.filter((entry) => !isHeldIn(previous.held, entry))],
    heldItems: [...previous.heldItems, ...next.heldItems.filter((held) => !isHeldIn(previous.heldItems, held))],
    heldSets: [...previous.heldSets, ...next.heldSets.filter((set) => !set.jobKey || !sets.has(set.jobKey))],
  };
}

/**
 * What "Send anyway" will cost: each job it makes once, at its own drop's price (`priceOf`), null when one
 * is not known. Held images of one jobKey (the same photo under two names, a set's poorer photos) make one
 * job - the second joins the first's - and a held set is one model whatever number of its photos were held.
 */
export function heldPriceUsd(result: Pick<IntakeResult, 'heldItems' | 'heldSets'>, priceOf: (sentWith: IntakeResult['sentWith']) => number | null): number | null {
  const jobs = new Map<string, IntakeResult['sentWith']>();
  [...result.heldItems, ...result.heldSets].forEach((held, i) => jobs.set(held.jobKey ?? `unkeyed ${i}`, held.sentWith));
  let sum = 0;
  for (const sentWith of jobs.values()) {
    const price = priceOf(sentWith);
    if (price === null) return null;
    sum += price;
  }
  return sum;
}

/** The held items as calls per generator and quality, in order, each within one call's size (batchItems). */
export function heldBatches(held: readonly HeldItem[]): { sentWith: IntakeResult['sentWith']; items: ImageItem[] }[] {
  const groups = new Map<string, { sentWith: IntakeResult['sentWith']; items: ImageItem[] }>();
  for (const { item, sentWith } of held) {
    const key = `${sentWith.endpoint}\n${sentWith.preset}`;
    const group = groups.get(key) ?? { sentWith, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()].flatMap(({ sentWith, items }) => batchItems(items).map((batch) => ({ sentWith, items: batch })));
}

/** Images in the jobs this drop made (a job made from several images counts each of them). */
export function addedImageCount(result: Pick<IntakeResult, 'added' | 'made'>): number {
  const made = new Set(result.made);
  return result.added.filter((job) => made.has(job.id)).reduce((n, job) => n + Math.max(1, job.inputs?.length ?? 1), 0);
}
