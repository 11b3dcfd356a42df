// Hyper3D Rodin on FAL (fal-ai/hyper3d/rodin): one to five images of one object; the output format is
// forced to GLB, which lands in model_mesh.
import type { Preset } from '../../shared/domain';
import { parseFalOutput } from './fal-output';
import { definedOnly, enumField, mergeOptions, optionsObject, seedField } from './fields';
import { requireImageUrls } from './input-images';
import type { ModelDefinition, ModelPresetSpec } from './types';

export const RODIN_ID = 'fal-ai/hyper3d/rodin';
const LABEL = 'Hyper3D Rodin';
const MAX_IMAGES = 5;
/** USD per generation (third-party figure, approximate); add-ons that cost more are not offered. */
const PRICE_USD = 0.4;

const RODIN_PRESETS: Record<Preset, ModelPresetSpec> = {
  draft: { summary: 'Sketch tier, low quality, shaded material', options: { tier: 'Sketch', quality: 'low', material: 'Shaded' } },
  standard: { summary: 'Regular tier, medium quality, PBR material', options: { tier: 'Regular', quality: 'medium', material: 'PBR' } },
  high: { summary: 'Regular tier, high quality, PBR material', options: { tier: 'Regular', quality: 'high', material: 'PBR' } },
};

export const rodinModel: ModelDefinition = {
  id: RODIN_ID,
  label: LABEL,
  description:
    'Rodin by Hyper3D: production-ready meshes with PBR or shaded materials, from one to five images of the ' +
    'same object. Price is approximate.',
  provider: 'fal',
  images: { min: 1, max: MAX_IMAGES },
  optionsSchema: optionsObject(
    LABEL,
    {
      seed: seedField('Seed', 65_535, 'The same seed and settings give the same model.'),
      quality: enumField('Quality', ['high', 'medium', 'low', 'extra-low'], 'Mesh density.'),
      material: enumField('Material', ['PBR', 'Shaded'], 'PBR materials, or colours with baked lighting.'),
      tier: enumField('Tier', ['Regular', 'Sketch'], 'Sketch is quicker and coarser.'),
      condition_mode: enumField('Multi-image mode', ['concat', 'fuse'], '"concat": views of one object; "fuse": combine several objects.'),
    },
    {
      geometry_file_format: 'The output format is fixed to GLB in this app.',
      input_image_urls: "Images are the job's input files, not an option.",
    },
  ),
  presets: RODIN_PRESETS,
  buildInput(images, preset, options) {
    const urls = requireImageUrls(images, 1, MAX_IMAGES, LABEL).filter((u) => u !== '');
    return {
      input_image_urls: urls,
      ...definedOnly(mergeOptions(RODIN_PRESETS[preset].options, options)),
      geometry_file_format: 'glb',
    };
  },
  parseOutput: (output) => parseFalOutput(output, LABEL, ['model_mesh']),
  estimateCostUsd: () => PRICE_USD,
};
