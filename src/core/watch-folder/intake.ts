// Hands the watch's new images to the engine's intake (addImages with path items: the only way in,
// which never pays twice - a photo made before is a duplicate, one on its way is joined) and counts
// what came of them for the status.
import type { Logger } from '../app-core';
import type { EngineApi } from '../services-types';
import type { Preset } from '../../shared/domain';
import { WATCH_REFUSED_KEPT, type WatchStatus } from '../../shared/watch';
import { errorMessage } from '../util/errors';

/** Images handed to the intake at once (see take). */
const TAKE_AT_ONCE = 20;

export interface IntakeDeps {
  addImages: EngineApi['addImages'];
  jobOptions(): { endpoint: string; preset: Preset };
  logger: Logger;
}

export type Tally = Pick<WatchStatus, 'taken' | 'alreadyMade' | 'refused'> & { problem: string | null };

export interface WatchIntake {
  /**
   * Hands `paths` over a few at a time: a watch turned off (or the app quitting) while hundreds are
   * being added stops between two handfuls (`stop`) - the rest are not made (and paid for) after the
   * user said stop; they stay waiting. `answered` is told each file's fate. True when the intake
   * answered for some.
   */
  take(paths: string[], stop: () => boolean, answered: (path: string, kind: 'taken' | 'refused') => void): Promise<boolean>;
  tally(): Tally;
  /** Forgets what was refused and the last failure; `counts` also the numbers added (the watch turned on anew). */
  clear(counts: boolean): void;
}

export function createIntake(deps: IntakeDeps): WatchIntake {
  let tally: Tally = { taken: 0, alreadyMade: 0, refused: [], problem: null };

  /** True when the intake answered (each file is then taken or refused). */
  async function takeSome(paths: string[], answered: (path: string, kind: 'taken' | 'refused') => void): Promise<boolean> {
    const { endpoint, preset } = deps.jobOptions();
    try {
      const result = await deps.addImages(
        paths.map((path) => ({ kind: 'path' as const, path })),
        // Unattended: a photo offered again (its list not saved before a crash) is answered by its job, never made (paid) twice.
        { endpoint, preset, unattended: true },
      );
      const rejected = new Set(result.rejected.map((item) => item.input));
      for (const path of paths) answered(path, rejected.has(path) ? 'refused' : 'taken');
      const made = new Set(result.duplicates.map((item) => item.input));
      tally = {
        taken: tally.taken + paths.filter((path) => !rejected.has(path) && !made.has(path)).length,
        alreadyMade: tally.alreadyMade + made.size,
        refused: [...tally.refused, ...result.rejected].slice(-WATCH_REFUSED_KEPT),
        problem: null,
      };
      return true;
    } catch (error) {
      // Nothing new was paid for (the generator was refused, the data folder is gone...): the files stay
      // waiting and are offered again at the next scan - jobs made before the failure are joined, not repeated.
      const message = `New images in the watched folder could not be added: ${errorMessage(error)}`;
      if (tally.problem !== message) deps.logger.warn(message);
      tally = { ...tally, problem: message };
      return false;
    }
  }

  return {
    async take(paths, stop, answered) {
      let some = false;
      for (let from = 0; from < paths.length; from += TAKE_AT_ONCE) {
        if (stop()) break;
        if (!(await takeSome(paths.slice(from, from + TAKE_AT_ONCE), answered))) break;
        some = true;
      }
      return some;
    },
    tally: () => tally,
    clear(counts) {
      tally = { taken: counts ? 0 : tally.taken, alreadyMade: counts ? 0 : tally.alreadyMade, refused: [], problem: null };
    },
  };
}
