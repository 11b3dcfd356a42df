// The list of endpoints the app can run, FAL and offline. The engine finds a model here by id.
import { hunyuanModel } from './hunyuan';
import { reliefModel } from './relief';
import { rodinModel } from './rodin';
import { trellisModel, trellisMultiModel } from './trellis';
import { tripoImageModel, tripoMultiviewModel } from './tripo';
import type { ModelDefinition } from './types';

export { validateOptions, type ValidateOptionsResult } from './validate';

export { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID } from '../../shared/default-generator';

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
