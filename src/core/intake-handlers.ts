// The channels that bring images in. Paths in them come from the page, so each is used only when
// the user chose it outside the page (chosen-paths.ts); the others are refused with one neutral
// message before anything on disk is looked at.
import type { AddJobsResult, Handlers, ImageItem } from '../shared/contract';
import { notChosenFolderReason, notChosenImageReason, type ChosenPaths } from './chosen-paths';
import type { Platform } from './platform';
import type { AddJobsOptions, EngineApi } from './services-types';

type IntakeChannels = 'jobs:add' | 'jobs:addFolder' | 'jobs:addSet' | 'jobs:pick';

const nothing = (): AddJobsResult => ({ added: [], rejected: [], duplicates: [] });

/**
 * The answer with each entry's place in the page's `items`: the engine numbered only the images it was
 * given (`places[i]` is where its i-th image is in `items`), not those refused before it.
 */
function placesIn(places: readonly number[], result: AddJobsResult): AddJobsResult {
  const place = <T extends { item?: number | undefined }>(entry: T): T => (entry.item === undefined ? entry : { ...entry, item: places[entry.item] });
  return {
    ...result,
    duplicates: result.duplicates.map(place),
    ...(result.joined ? { joined: result.joined.map(place) } : {}),
    ...(result.held ? { held: result.held.map(place) } : {}),
  };
}

export function intakeHandlers(deps: {
  engine: EngineApi;
  platform: Platform;
  chosen: ChosenPaths;
  jobDefaults: (opts: AddJobsOptions) => Pick<AddJobsOptions, 'endpoint' | 'preset'>;
}): Pick<Handlers, IntakeChannels> {
  const { engine, platform, chosen, jobDefaults } = deps;
  const unchosen = (item: ImageItem) => item.kind === 'path' && !chosen.has(item.path);
  const refusal = (item: ImageItem) => ({ input: item.kind === 'path' ? item.path : item.name, reason: notChosenImageReason(item.kind === 'path' ? item.path : item.name) });
  /**
   * Images of a folder that "Make again anyway" or "Send anyway" may send back by path - those already
   * made, those that joined a job on its way and those held before paying: the user chose them with the
   * folder, so they stay usable.
   */
  const keepResendable = (result: AddJobsResult) => {
    for (const duplicate of result.duplicates) chosen.add(duplicate.input);
    for (const joined of result.joined ?? []) chosen.add(joined.input);
    for (const held of result.held ?? []) chosen.add(held.input);
    return result;
  };

  return {
    'jobs:add': async ({ items, ...opts }) => {
      const refused = items.filter(unchosen).map(refusal);
      /** Where each image handed to the engine is in `items`. */
      const places = items.flatMap((item, i) => (unchosen(item) ? [] : [i]));
      const usable = places.map((i) => items[i]!);
      const result = usable.length > 0 ? await engine.addImages(usable, { ...opts, ...jobDefaults(opts) }) : nothing();
      return { ...placesIn(places, result), rejected: [...refused, ...result.rejected] };
    },
    'jobs:addFolder': async ({ path, ...opts }) => {
      if (!chosen.has(path)) return { ...nothing(), rejected: [{ input: path, reason: notChosenFolderReason(path) }] };
      return keepResendable(await engine.addFolder(path, { ...opts, ...jobDefaults(opts) }));
    },
    'jobs:addSet': async ({ inputs, ...opts }) => {
      // A set is added whole or not at all (as the engine does for unusable images).
      const refused = inputs.map((member) => member.item).filter(unchosen).map(refusal);
      if (refused.length > 0) return { ...nothing(), rejected: refused };
      return engine.addSet(inputs, { ...opts, ...jobDefaults(opts) });
    },
    'jobs:pick': async (opts) => {
      const paths = await platform.chooseImages();
      if (paths.length === 0) return nothing();
      for (const path of paths) chosen.add(path);
      return engine.addImages(
        paths.map((path) => ({ kind: 'path' as const, path })),
        { ...opts, ...jobDefaults(opts) },
      );
    },
  };
}
