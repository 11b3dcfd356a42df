// Text counted and cut as people see it: by graphemes (an emoji with its skin tone, a flag, a letter
// with its accents is one), so a cut never leaves half an emoji - or half a surrogate pair, which
// shows as a replacement mark and is not valid Unicode. Pure TS: the renderer, the CLI and the core use it.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The user-perceived characters of `text`, in order. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** How many characters `text` has as a person counts them. */
export function graphemeCount(text: string): number {
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
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (count === max || out.length + segment.length > maxUnits) break;
    out += segment;
    count++;
  }
  return out;
}
