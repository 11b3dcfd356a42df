// What a batch export covers, as the studio says it: the models picked by hand, every match of the
// library's search, or - with no search - the whole library (it said 'Every model matching “”').
import { plural } from '../../lib/format';

export interface BatchScope {
  /** The models picked by hand; null: every match of `query` (the whole library when it is ''). */
  ids: readonly string[] | null;
  /** The library's search, trimmed. */
  query: string;
  count: number;
}

export function batchScopeText({ ids, query, count }: BatchScope): string {
  if (ids) return plural(count, 'selected model');
  if (query === '') return `Every model in the library (${count.toLocaleString()})`;
  return `Every model matching “${query}” (${count.toLocaleString()})`;
}
