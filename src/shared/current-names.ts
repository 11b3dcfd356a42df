// Names stored by an older naming rule, shown by today's: a set's "kettle and 2 more" (before 2b222a9)
// is "kettle", a sample's "sample-duck" (before 3a9d754) is "Toy duck (sample)". The one rule for a
// job's and a model's name and source, wherever they are shown or searched (queue rows, library cards,
// titles, exports, library search and sort by name); nothing stored is rewritten.
import { currentSetName } from './input-roles';
import { currentSampleName } from './samples';

/**
 * `name` (a job's or a model's) as today's rule gives it; `sourceNames` are the names of the photos it
 * was made from (one for a single photo). A name the user gave is kept.
 */
export function currentName(name: string, sourceNames: readonly string[]): string {
  return sourceNames.length === 1 ? currentSampleName(name, sourceNames[0]!) : currentSetName(name, sourceNames);
}

/** A model's source photo name (one photo's, or a set's names joined) as today's rule gives it. */
export function currentSourceName(sourceName: string): string {
  return currentSampleName(sourceName, sourceName);
}
