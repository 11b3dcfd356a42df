// The library's count line: "50 models", or "11 matches for “gnome”" with a long search cut short
// (it ran on, and a search without spaces ran past the window's edge); the whole line is its tooltip.
import { plural } from '../../lib/format';
import { shownSearch } from '../../lib/shown-search';

/** `total` null: still loading. `whole`: with the whole search (for the tooltip). */
export function libraryCountText(total: number | null, query: string, { whole = false }: { whole?: boolean } = {}): string {
  if (total === null) return 'Loading…';
  if (!query) return plural(total, 'model');
  return `${plural(total, 'match', 'matches')} for “${whole ? query : shownSearch(query)}”`;
}

/** The tooltip: the whole line when the search was cut short, else none. */
export function libraryCountTitle(total: number | null, query: string): string | undefined {
  const whole = libraryCountText(total, query, { whole: true });
  return whole === libraryCountText(total, query) ? undefined : whole;
}
