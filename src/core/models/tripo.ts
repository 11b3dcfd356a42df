// Tripo v2.5 on FAL: single image and multiview (front + optional left, back, right). Both share the
// options, presets, output fields and price; only the image fields differ.
import type { Preset } from '../../shared/domain';
import { parseFalOutput } from './fal-output';
import { boolField, definedOnly, enumField, intField, mergeOptions, optionsObject, seedField } from './fields';
import { requireImageUrls } from './input-images';
import type { ModelDefinition, ModelPresetSpec } from './types';

export const TRIPO_IMAGE_ID = 'tripo3d/tripo/v2.5/image-to-3d';
export const TRIPO_MULTIVIEW_ID = 'tripo3d/tripo/v2.5/multiview-to-3d';

const MAX_SEED = 2_147_483_647;
/** Multiview image fields, in the order ModelInputImages.urls holds them. */
const VIEW_FIELDS = ['front_image_url', 'left_image_url', 'back_image_url', 'right_image_url'] as const;
/** Tripo fills one of these depending on options (unverified which): the first with a url wins. */
const GLB_FIELDS = ['pbr_model', 'base_model', 'model_mesh'] as const;

const TRIPO_PRESETS: Record<Preset, ModelPresetSpec> = {
  draft: { summary: 'About 10k faces, no texture: a quick look at the shape', options: { face_limit: 10_000, texture: 'no', pbr: false } },
  standard: { summary: 'About 50k faces, standard texture with PBR materials', options: { face_limit: 50_000, texture: 'standard', pbr: true } },
  high: { summary: 'About 100k faces, HD texture with PBR materials', options: { face_limit: 100_000, texture: 'HD', pbr: true } },
};

/** USD per generation by effective texture (third-party figures, approximate). */
const PRICE_BY_TEXTURE: Record<string, number> = { no: 0.2, standard: 0.3, HD: 0.4 };

function tripoOptionsSchema(modelLabel: string) {
  return optionsObject(
    modelLabel,
    {
      seed: seedField('Seed', MAX_SEED, 'The same seed and settings give the same shape.'),
      face_limit: intField('Face limit', 1_000, 100_000, 'Most faces the mesh may have; adaptive when unset.'),
      texture: enumField('Texture', ['no', 'standard', 'HD'], 'Texture quality; "no" gives a plain mesh.'),
      pbr: boolField('PBR', 'Physically based materials (metalness, roughness); needs a texture.'),
      texture_seed: seedField('Texture seed', MAX_SEED, 'The same texture seed gives the same texture.'),
      texture_alignment: enumField('Texture alignment', ['original_image', 'geometry'], 'Match the texture to the photo or to the shape.'),
      auto_size: boolField('Auto size', 'Scale the model to a real-world size in metres.'),
      orientation: enumField('Orientation', ['default', 'align_image'], 'Turn the model to face like the photo.'),
    },
    {
      quad: 'Quad meshes are not available here: Tripo returns them as FBX, and this app works with GLB.',
      style: `"style" is not supported by this app for ${modelLabel}.`,
      image_url: 'Images are the job\'s input files, not an option.',
    },
  ).superRefine((options, ctx) => {
    if (options.pbr === true && options.texture === 'no') {
      ctx.addIssue({ code: 'custom', path: ['pbr'], message: 'PBR needs a texture: set texture to "standard" or "HD", or turn PBR off.' });
    }
  });
}

/**
 * Preset + user options as Tripo will really run them. Asking for no texture (without saying PBR)
 * turns PBR off; PBR on a no-texture preset brings a standard texture, as Tripo forces one anyway.
 */
export function resolveTripoOptions(preset: Preset, options: Record<string, unknown>): Record<string, unknown> {
  const merged = mergeOptions(TRIPO_PRESETS[preset].options, options);
  if (options.texture === 'no' && options.pbr === undefined) merged.pbr = false;
  if (merged.pbr === true && merged.texture === 'no') merged.texture = 'standard';
  return merged;
}

function estimateTripoCost(preset: Preset, options: Record<string, unknown>): number {
  const texture = resolveTripoOptions(preset, options).texture;
  return PRICE_BY_TEXTURE[typeof texture === 'string' ? texture : 'standard'] ?? PRICE_BY_TEXTURE.standard!;
}

const IMAGE_LABEL = 'Tripo v2.5';
export const tripoImageModel: ModelDefinition = {
  id: TRIPO_IMAGE_ID,
  label: IMAGE_LABEL,
  description:
    'Tripo v2.5 turns one photo or drawing into a textured mesh, with face limit, texture quality and PBR ' +
    'materials under your control. A typical run takes about a minute. Prices are approximate.',
  provider: 'fal',
  images: { min: 1, max: 1 },
  optionsSchema: tripoOptionsSchema(IMAGE_LABEL),
  presets: TRIPO_PRESETS,
  buildInput(images, preset, options) {
    const [imageUrl] = requireImageUrls(images, 1, 1, IMAGE_LABEL);
    return { image_url: imageUrl, ...definedOnly(resolveTripoOptions(preset, options)) };
  },
  parseOutput: (output) => parseFalOutput(output, IMAGE_LABEL, GLB_FIELDS, 'rendered_image'),
  estimateCostUsd: estimateTripoCost,
};

const MULTIVIEW_LABEL = 'Tripo v2.5 Multiview';
export const tripoMultiviewModel: ModelDefinition = {
  id: TRIPO_MULTIVIEW_ID,
  label: MULTIVIEW_LABEL,
  description:
    'Tripo v2.5 from up to four views of the same object: a front view, plus optional left, back and right ' +
    'views (in that order) for a more faithful shape. Same options and prices as single-image Tripo (approximate).',
  provider: 'fal',
  images: { min: 1, max: 4 },
  views: ['front', 'left', 'back', 'right'],
  optionsSchema: tripoOptionsSchema(MULTIVIEW_LABEL),
  presets: TRIPO_PRESETS,
  /** images.urls = [front, left?, back?, right?]; an empty string skips a view. */
  buildInput(images, preset, options) {
    const urls = requireImageUrls(images, 1, 4, MULTIVIEW_LABEL);
    const views: Record<string, string> = {};
    urls.forEach((url, i) => {
      const field = VIEW_FIELDS[i];
      if (field && url !== '') views[field] = url;
    });
    return { ...views, ...definedOnly(resolveTripoOptions(preset, options)) };
  },
  parseOutput: (output) => parseFalOutput(output, MULTIVIEW_LABEL, GLB_FIELDS, 'rendered_image'),
  estimateCostUsd: estimateTripoCost,
};
