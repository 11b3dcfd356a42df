// What the intake notice asks before "Make again anyway": a new, separately paid job for exactly the
// images that were not sent (already made, or joined a job on its way). Like "Generate again" in the
// queue (RetryDialog) it says that it is charged again and what it costs, and it always asks when an
// earlier job needs attention (FAL may already have charged for that one). Nothing to ask when the
// generator is free (offline) and no earlier job needs attention.
import type { Job } from '../../../../shared/domain';
import { formatUsd, plural } from '../../lib/format';
import { baseName, endedCount, joinedStates, type JoinedImage } from './joined-note';

export interface MakeAgainAsk {
  title: string;
  /** Paragraphs: what is there now, then what making again does and costs. */
  body: string[];
  confirmLabel: string;
}

function ask(names: readonly string[], now: string, totalUsd: number | null, stays: string): MakeAgainAsk {
  const one = names.length === 1;
  const price = totalUsd !== null && totalUsd > 0 ? ` (≈ ${formatUsd(totalUsd)})` : '';
  const what =
    totalUsd === 0
      ? `Making ${one ? 'it' : 'them'} again starts ${one ? 'a new generation' : `${names.length} new generations`} on this computer: nothing is charged.`
      : `Making ${one ? 'it' : 'them'} again starts ${one ? 'a new generation that is' : `${names.length} new generations that are`} charged again${price}.`;
  return {
    title: one ? `Make “${names[0]}” again?` : `Make ${names.length} images again?`,
    body: [now, `${what}${stays}`],
    confirmLabel: `Make again${price}`,
  };
}

/** What to ask before making the joined images again; null when that is free and nothing needs attention. */
export function joinedAsk(joined: readonly JoinedImage[], jobs: readonly Job[]): MakeAgainAsk | null {
  if (joined.length === 0) return null;
  const jobOf = (entry: JoinedImage) => jobs.find((job) => job.id === entry.jobId);
  // Where the joined jobs stand now (one may have finished or failed since the images joined it).
  const states = joinedStates(joined, jobs);
  const attention = states.attention;
  // Each image becomes a job like the one it joined: the same generator, quality and options.
  const estimates = joined.map((entry) => jobOf(entry)?.estimatedCostUsd ?? null);
  const totalUsd = estimates.includes(null) ? null : estimates.reduce<number>((sum, usd) => sum + (usd ?? 0), 0);
  if (totalUsd === 0 && attention === 0) return null;
  const names = joined.map((entry) => baseName(entry.input));
  const one = joined.length === 1;
  let now: string;
  if (one && attention === 1) now = `The earlier job for ${names[0]} needs your attention: FAL may already have run it and charged for it.`;
  else if (one && states.succeeded === 1) now = `The earlier job for ${names[0]} has since finished; its model is in your library.`;
  else if (one && states.failed === 1) now = `The earlier job for ${names[0]} has since failed.`;
  else if (one && states.canceled === 1) now = `The earlier job for ${names[0]} was since canceled.`;
  else if (one && joined[0]!.sameDrop) now = `${names[0]} shares one job with the same image in this drop.`;
  else if (one) now = `${names[0]} is already on its way with these settings.`;
  else {
    now =
      endedCount(states) === 0
        ? `These ${joined.length} images joined jobs with the same settings that are already on their way.`
        : `These ${joined.length} images joined earlier jobs with the same settings; ${plural(endedCount(states), 'of those jobs has', 'of those jobs have')} ended since.`;
    if (attention > 0) now += ` ${attention === joined.length ? 'Those jobs need' : `${attention} of those jobs ${attention === 1 ? 'needs' : 'need'}`} your attention: FAL may already have run ${attention === 1 ? 'it' : 'them'} and charged for ${attention === 1 ? 'it' : 'them'}.`;
  }
  return ask(names, now, totalUsd, one ? ' The job it joined stays in the queue.' : ' The jobs they joined stay in the queue.');
}

/** What to ask before making images again that already have a model; null when the generator is free. */
export function duplicatesAsk(duplicates: readonly { input: string }[], unitPriceUsd: number | null): MakeAgainAsk | null {
  if (duplicates.length === 0 || unitPriceUsd === 0) return null;
  const names = duplicates.map((entry) => baseName(entry.input));
  const now =
    names.length === 1
      ? `${names[0]} was already made with these settings; its model is in your library.`
      : `${plural(names.length, 'image')} were already made with these settings; their models are in your library.`;
  return ask(names, now, unitPriceUsd === null ? null : unitPriceUsd * names.length, '');
}
