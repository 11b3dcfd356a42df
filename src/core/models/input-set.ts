// Multi-image jobs: an ordered set of images, each with the view it shows when the model names its
// images by view (Tripo Multiview), checked against what the model takes (inputSetProblem, shared
// with the UI and the CLI) and turned into the endpoint's input. A wrong set must never reach FAL,
// where it may still be billed.
import type { Preset } from '../../shared/domain';
import { VIEW_ROLES, inputSetProblem, type ViewRole } from '../../shared/input-roles';

export { inputSetProblem };
import type { ModelDefinition, ModelInputImages } from './types';

/** One image of a set: its uploaded URL and, for view models, its view. */
export interface SetInput {
  role: ViewRole | null;
  url: string;
}

/** Whether a model can make one model from several images. */
export function takesSeveralImages(model: ModelDefinition): boolean {
  return model.images.max > 1;
}

/** The images as the model's buildInput takes them: by view slot for view models, else in order. */
export function modelImagesOf(model: ModelDefinition, inputs: readonly SetInput[]): ModelInputImages {
  const problem = inputSetProblem(model, inputs.map((input) => input.role));
  if (problem) throw new Error(problem);
  const views = model.views;
  if (!views) return { urls: inputs.map((input) => input.url) };
  const urls = views.map((view) => inputs.find((input) => input.role === view)?.url ?? '');
  // Drop empty trailing slots: [front, '', back, ''] -> [front, '', back].
  while (urls.length > 1 && urls[urls.length - 1] === '') urls.pop();
  return { urls };
}

/** The endpoint's input JSON for an ordered set of uploaded images with their roles. */
export function buildSetInput(
  model: ModelDefinition,
  inputs: readonly SetInput[],
  preset: Preset,
  options: Record<string, unknown>,
): Record<string, unknown> {
  return model.buildInput(modelImagesOf(model, inputs), preset, options);
}

/** Known views in their canonical order, for sorting a set by role (front, left, back, right). */
export function viewOrder(role: ViewRole | null): number {
  return role === null ? VIEW_ROLES.length : VIEW_ROLES.indexOf(role);
}
