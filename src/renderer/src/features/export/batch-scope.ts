// What a batch export covers, as the studio says it: the models picked by hand, every match of the
// library's search, or - with no search - the whole library (it said 'Every model matching “”').
// A long search is cut short in the line (it ran on over several lines, and a search without spaces
// out of the dialog); the whole line goes in its tooltip.
import { plural } from '../../lib/format';
import { shownSearch } from '../../lib/shown-search';

export interface BatchScope {
  /** The models picked by hand; null: every match of `query` (the whole library when it is ''). */
  ids: readonly string[] | null;
  /** The library's search, trimmed. */
  query: string;
  count: number;
}

/** The line's words; `whole`: with the whole search (for the tooltip). */
export function batchScopeText({ ids, query, count }: BatchScope, { whole = false }: { whole?: boolean } = {}): string {
  if (ids) return plural(count, 'selected model');
  if (query === '') return `Every model in the library (${count.toLocaleString()})`;
  return `Every model matching “${whole ? query : shownSearch(query)}” (${count.toLocaleString()})`;
}

/** The tooltip: the whole line when the search was cut short, else none. */
export function batchScopeTitle(scope: BatchScope): string | undefined {
  const whole = batchScopeText(scope, { whole: true });
  return whole === batchScopeText(scope) ? undefined : whole;
}
