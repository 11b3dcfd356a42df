// The list of endpoints the app can run, FAL and offline. The engine finds a model here by id.
import { hunyuanModel } from './hunyuan';
import { reliefModel } from './relief';
import { rodinModel } from './rodin';
import { trellisModel, trellisMultiModel } from './trellis';
import { tripoImageModel, tripoMultiviewModel } from './tripo';
import type { ModelDefinition } from './types';

export { validateOptions, type ValidateOptionsResult } from './validate';

export const DEFAULT_MODEL_ID = 'tripo3d/tripo/v2.5/image-to-3d';
export const OFFLINE_MODEL_ID = 'offline/relief';

export const MODEL_CATALOG: readonly ModelDefinition[] = Object.freeze([
  tripoImageModel,
  tripoMultiviewModel,
  trellisModel,
  trellisMultiModel,
  hunyuanModel,
  rodinModel,
  reliefModel,
]);

export function getModel(id: string): ModelDefinition | undefined {
  return MODEL_CATALOG.find((model) => model.id === id);
}

/** All models in display order: the default first, the offline one last. */
export function listModels(): readonly ModelDefinition[] {
  return MODEL_CATALOG;
}
