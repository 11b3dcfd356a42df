// TRELLIS on FAL: fal-ai/trellis (one image) and fal-ai/trellis/multi (several views of one object,
// `image_urls[]`), cheap and quick; both share options and presets, and the GLB is in model_mesh.
import type { Preset } from '../../shared/domain';
import { parseFalOutput } from './fal-output';
import { definedOnly, enumField, intField, mergeOptions, numberChoiceField, numberField, optionsObject, seedField } from './fields';
import { requireImageUrls } from './input-images';
import type { ModelDefinition, ModelPresetSpec } from './types';

export const TRELLIS_ID = 'fal-ai/trellis';
const LABEL = 'TRELLIS';
/** USD per generation (third-party figure, approximate); the settings do not change it. */
const PRICE_USD = 0.02;

const TRELLIS_PRESETS: Record<Preset, ModelPresetSpec> = {
  draft: {
    summary: '512 px texture, 8 sampling steps, strongest simplification',
    options: { texture_size: 512, ss_sampling_steps: 8, slat_sampling_steps: 8, mesh_simplify: 0.98 },
  },
  standard: {
    summary: '1024 px texture, 12 sampling steps (TRELLIS defaults)',
    options: { texture_size: 1024, ss_sampling_steps: 12, slat_sampling_steps: 12, mesh_simplify: 0.95 },
  },
  high: {
    summary: '2048 px texture, 25 sampling steps, lightest simplification',
    options: { texture_size: 2048, ss_sampling_steps: 25, slat_sampling_steps: 25, mesh_simplify: 0.9 },
  },
};

const trellisFields = {
  seed: seedField('Seed', 2_147_483_647, 'The same seed and settings give the same model.'),
  texture_size: numberChoiceField('Texture size', [512, 1024, 2048], 'Texture resolution in pixels.'),
  ss_sampling_steps: intField('Structure sampling steps', 1, 50, 'Steps for the coarse shape; more is slower and finer.'),
  ss_guidance_strength: numberField('Structure guidance strength', 0, 10, 'How closely the coarse shape follows the image.'),
  slat_sampling_steps: intField('Detail sampling steps', 1, 50, 'Steps for detail and texture; more is slower and finer.'),
  slat_guidance_strength: numberField('Detail guidance strength', 0, 10, 'How closely detail follows the image.'),
  mesh_simplify: numberField('Mesh simplification', 0.9, 0.98, 'Higher removes more faces.'),
};

export const trellisModel: ModelDefinition = {
  id: TRELLIS_ID,
  label: LABEL,
  description:
    "Microsoft's open TRELLIS model: fast and very cheap, good for drafts and stylized objects. " +
    'Price is approximate.',
  provider: 'fal',
  images: { min: 1, max: 1 },
  optionsSchema: optionsObject(LABEL, trellisFields, { image_url: "Images are the job's input files, not an option." }),
  presets: TRELLIS_PRESETS,
  buildInput(images, preset, options) {
    const [imageUrl] = requireImageUrls(images, 1, 1, LABEL);
    return { image_url: imageUrl, ...definedOnly(mergeOptions(TRELLIS_PRESETS[preset].options, options)) };
  },
  parseOutput: (output) => parseFalOutput(output, LABEL, ['model_mesh']),
  estimateCostUsd: () => PRICE_USD,
};

export const TRELLIS_MULTI_ID = 'fal-ai/trellis/multi';
const MULTI_LABEL = 'TRELLIS multi-image';
/** This app's cap on images per job (FAL documents no maximum): more views add little. */
const MULTI_MAX_IMAGES = 6;

export const trellisMultiModel: ModelDefinition = {
  id: TRELLIS_MULTI_ID,
  label: MULTI_LABEL,
  description:
    'TRELLIS from several photos of the same object (two to six, any angles, in order): fast and very cheap. ' +
    'Price is approximate.',
  provider: 'fal',
  images: { min: 2, max: MULTI_MAX_IMAGES },
  optionsSchema: optionsObject(
    MULTI_LABEL,
    {
      ...trellisFields,
      multiimage_algo: enumField(
        'Multi-image mode',
        ['stochastic', 'multidiffusion'],
        '"stochastic" conditions each step on one image in turn; "multidiffusion" blends all images at every step.',
      ),
    },
    { image_urls: "Images are the job's input files, not an option.", image_url: "Images are the job's input files, not an option." },
  ),
  presets: TRELLIS_PRESETS,
  buildInput(images, preset, options) {
    const urls = requireImageUrls(images, 2, MULTI_MAX_IMAGES, MULTI_LABEL).filter((u) => u !== '');
    return { image_urls: urls, ...definedOnly(mergeOptions(TRELLIS_PRESETS[preset].options, options)) };
  },
  parseOutput: (output) => parseFalOutput(output, MULTI_LABEL, ['model_mesh']),
  estimateCostUsd: () => PRICE_USD,
};
