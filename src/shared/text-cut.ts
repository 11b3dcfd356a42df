// Text counted and cut as people see it: by graphemes (an emoji with its skin tone, a flag, a letter
// with its accents is one), so a cut never leaves half an emoji - or half a surrogate pair, which
// shows as a replacement mark and is not valid Unicode. Pure TS: the renderer, the CLI and the core use it.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Printable ASCII: each character is one grapheme (only CR LF joins), no segmenting needed - it is slow. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The user-perceived characters of `text`, in order. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** How many characters `text` has as a person counts them. */
export function graphemeCount(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/**
 * The longest start of `text` with at most `max` graphemes and, when `maxUnits` is given, at most that
 * many UTF-16 units (for a limit a schema or the platform counts in units), cut between graphemes.
 */
export function cutText(text: string, max: number, maxUnits = Number.POSITIVE_INFINITY): string {
  if (text.length <= max && text.length <= maxUnits) return text;
  // With a unit cap only a window is segmented (segmenting a megabyte takes the best part of a second):
  // a boundary depends on the text before it and one code point (at most 2 units) after it, so every
  // grapheme that ends within maxUnits is the same in the window as in the whole text.
  const scanned = Number.isFinite(maxUnits) ? text.slice(0, maxUnits + 2) : text;
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(scanned)) {
    if (count === max || out.length + segment.length > maxUnits) break;
    out += segment;
    count++;
  }
  return out;
}

/**
 * `text` as it is when it fits `max` graphemes (and `maxUnits` units), else its longest start that fits
 * together with `mark` (an ellipsis...) appended, cut between graphemes.
 */
export function shorten(text: string, max: number, mark: string, maxUnits = Number.POSITIVE_INFINITY): string {
  const head = cutText(text, max, maxUnits);
  if (head === text) return text;
  return `${cutText(head, Math.max(0, max - graphemeCount(mark)), Math.max(0, maxUnits - mark.length)).trimEnd()}${mark}`;
}

/**
 * A name cut like cutText, with no white space at either end (a cut can end just after a space). ''
 * when nothing is left - the text was blank, or its first character alone is longer than `maxUnits` -
 * for the caller to fall back on a default or refuse the name with its own words.
 */
export function cutName(text: string, max: number, maxUnits = Number.POSITIVE_INFINITY): string {
  return cutText(text.trim(), max, maxUnits).trimEnd();
}
