// A search as a line of text shows it: a long one is cut short, so it neither runs on over several
// lines nor (without spaces) out of its box. The whole search goes in the line's tooltip.

/** The most characters of a search a line shows. */
export const SHOWN_SEARCH_CHARS = 40;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The search whole, or its first characters and "…" (never half a character or emoji). */
export function shownSearch(query: string, max = SHOWN_SEARCH_CHARS): string {
  const chars = Array.from(graphemes.segment(query), (s) => s.segment);
  if (chars.length <= max) return query;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
