// Views of one object for multi-image jobs: the roles a multiview model names (front, left, back,
// right), the guess of a photo's role from its file name, and the one rule for which sets a model
// takes. Pure TS: the renderer, the CLI and the core all use it.
import { nameWithoutExtension } from './name-from-file';
import { graphemeCount, graphemes } from './text-cut';

export const VIEW_ROLES = ['front', 'left', 'back', 'right'] as const;
export type ViewRole = (typeof VIEW_ROLES)[number];

export function isViewRole(value: unknown): value is ViewRole {
  return typeof value === 'string' && (VIEW_ROLES as readonly string[]).includes(value);
}

/** The file name without folders and extension: `shots/Mug_FRONT.jpg` -> `Mug_FRONT` (name-from-file's rule). */
const stem = nameWithoutExtension;

/**
 * The view a file name names, or null: `mug_front.jpg`, `mug-Left.png`, `BACK.webp`, `right 2.jpg`.
 * The role must be a word of its own (split on `_`, `-`, `.`, spaces and camelCase), so
 * `frontier.jpg` or `backpack.png` name no view. When a name holds several, the last one counts
 * (`front-yard_left.jpg` is a left view).
 */
export function guessViewRole(name: string): ViewRole | null {
  const words = stem(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-()[\]]+/)
    .filter(Boolean);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i]!;
    if (isViewRole(word)) return word;
  }
  return null;
}

/**
 * Roles for a set of files, in their order: each file gets the view its name names, unless an
 * earlier file already took it; the files left over fill the free views in order (front first).
 * Files beyond the four views get null (they have no slot).
 */
export function assignViewRoles(names: readonly string[]): (ViewRole | null)[] {
  const roles: (ViewRole | null)[] = names.map(() => null);
  const taken = new Set<ViewRole>();
  names.forEach((name, i) => {
    const guess = guessViewRole(name);
    if (guess && !taken.has(guess)) {
      roles[i] = guess;
      taken.add(guess);
    }
  });
  const free = VIEW_ROLES.filter((role) => !taken.has(role));
  roles.forEach((role, i) => {
    if (role === null && free.length > 0) roles[i] = free.shift()!;
  });
  return roles;
}

/** What a set is checked against: a catalog model or its summary. */
export interface SetTaker {
  label: string;
  images: { min: number; max: number };
  /** The views the model names its images by (the first required); absent/null: an ordered list. */
  views?: readonly ViewRole[] | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Why this set of roles (one per image, in order) does not fit the model, in words a person can
 * act on; null when it fits. View models need a distinct known view per image and their first view
 * (front); the others take an ordered list without views, within their image count.
 */
export function inputSetProblem(model: SetTaker, roles: readonly (ViewRole | null)[]): string | null {
  const count = roles.length;
  if (model.images.max <= 1 && count > 1) {
    return `${model.label} makes a model from one image; choose a multi-image model (such as Tripo v2.5 Multiview, TRELLIS multi-image or Hyper3D Rodin) for ${count} images.`;
  }
  if (count < model.images.min) return `${model.label} needs at least ${plural(model.images.min, 'image')}; got ${count}.`;
  if (count > model.images.max) return `${model.label} takes at most ${plural(model.images.max, 'image')}; got ${count}.`;
  const views = model.views;
  if (!views) {
    if (roles.some((role) => role !== null)) {
      return `${model.label} takes its images in order, not by view (front, left...): give them as an ordered list.`;
    }
    return null;
  }
  const seen = new Set<ViewRole>();
  for (const role of roles) {
    if (role === null) return `${model.label} needs the view of each image (${views.join(', ')}).`;
    if (!views.includes(role)) return `${model.label} has no "${role}" view; its views are ${views.join(', ')}.`;
    if (seen.has(role)) return `Two images are the ${role} view; each view takes one image.`;
    seen.add(role);
  }
  const required = views[0]!;
  if (!seen.has(required)) return `${model.label} needs a ${required} view; the other views are optional.`;
  return null;
}

const SEPARATORS = /([\s_.\-()[\]]+)/;
const SEPARATORS_AT_ENDS = /^[\s_.\-()[\]]+|[\s_.\-()[\]]+$/g;

/** The stem without its view words (`mug_front` -> `mug`); a stem naming no view is kept as it is (`.hidden`, `v1.2`). */
function stripRoleWords(stemText: string): string {
  const parts = stemText.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(SEPARATORS);
  const kept = parts.filter((part) => !isViewRole(part.toLowerCase()));
  return kept.length === parts.length ? stemText : kept.join('').replace(SEPARATORS_AT_ENDS, '');
}

/**
 * The one name of a set of images: its job in the queue, its model in the library and viewer, and the
 * file it is exported or written to (the app's export, `convert --views` / `--together`). What the file
 * names share once the view words are gone (`mug_front.jpg`, `mug_left.jpg` -> `mug`), else the first
 * photo's name (`a.jpg b.jpg c.jpg` -> `a`): "a and 2 more" was no name to find a model or a file by,
 * and the app and the CLI named the same set two ways.
 */
export function setDisplayName(names: readonly string[]): string {
  const stems = setStems(names);
  return (stems.length > 1 ? sharedStem(stems) : null) ?? stems[0] ?? 'Images';
}

/**
 * A set's stored name shown by today's rule: sets made before it (2b222a9) were named "kettle and 2 more"
 * (the first photo's name and a count, when the names share nothing) in their job and model rows, and
 * kept that name everywhere, their exported file too. Only that exact old name for these very photos is
 * replaced (a name the user gave stays); nothing is rewritten on disk.
 */
export function currentSetName(name: string, names: readonly string[]): string {
  if (names.length < 2 || !name.endsWith(` and ${names.length - 1} more`)) return name;
  const first = name.slice(0, -` and ${names.length - 1} more`.length);
  return first === setStems(names)[0] || first === stem(names[0]!) ? setDisplayName(names) : name;
}

const setStems = (names: readonly string[]) => names.map((name) => stripRoleWords(stem(name)) || stem(name));

/** What all the stems start with (two characters at least), or null. */
function sharedStem(stems: readonly string[]): string | null {
  // Shared characters as people see them: two emoji that differ only in their second UTF-16 unit
  // share no character (a cut between units leaves half of one).
  let common = graphemes(stems[0] ?? '');
  for (const other of stems.slice(1).map(graphemes)) {
    let i = 0;
    while (i < common.length && i < other.length && common[i]!.toLowerCase() === other[i]!.toLowerCase()) i++;
    common = common.slice(0, i);
  }
  // A shared numbering start ("chair 01", "chair 02" -> "chair 0") is not part of the name; digits all
  // the names share to their end or before a letter are ("mug v2 front", "mug v2 back" -> "mug v2").
  const cutNumber = stems.some((other) => /^\d$/.test(graphemes(other)[common.length] ?? ''));
  const shared = common.join('');
  const name = (cutNumber ? shared.replace(/\d+$/, '') : shared).replace(/[\s_.\-()[\]]+$/, '');
  return graphemeCount(name) >= 2 ? name : null;
}
