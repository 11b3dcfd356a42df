// Hunyuan3D 2.1 on FAL (fal-ai/hunyuan3d-v21): one image; GLB in model_glb_pbr (textured, when
// present) or model_glb. Its model_mesh is a zip of assets, so it is never taken as the GLB.
import type { Preset } from '../../shared/domain';
import { parseFalOutput } from './fal-output';
import { boolField, definedOnly, intField, mergeOptions, numberField, optionsObject, seedField } from './fields';
import { requireImageUrls } from './input-images';
import type { ModelDefinition, ModelPresetSpec } from './types';

export const HUNYUAN_ID = 'fal-ai/hunyuan3d-v21';
const LABEL = 'Hunyuan3D 2.1';
/** USD per generation (approximate, unverified); the settings are not known to change it. */
const PRICE_USD = 0.05;

const HUNYUAN_PRESETS: Record<Preset, ModelPresetSpec> = {
  draft: {
    summary: 'Untextured shape, 25 steps, octree 256',
    options: { num_inference_steps: 25, octree_resolution: 256, textured_mesh: false },
  },
  standard: {
    summary: 'Textured (PBR), 50 steps, octree 256',
    options: { num_inference_steps: 50, octree_resolution: 256, textured_mesh: true },
  },
  high: {
    summary: 'Textured (PBR), 50 steps, octree 512 for finer detail',
    options: { num_inference_steps: 50, octree_resolution: 512, textured_mesh: true },
  },
};

export const hunyuanModel: ModelDefinition = {
  id: HUNYUAN_ID,
  label: LABEL,
  description:
    "Tencent's Hunyuan3D 2.1: detailed shapes from one image, with optional PBR textures. " +
    'Price is approximate.',
  provider: 'fal',
  images: { min: 1, max: 1 },
  optionsSchema: optionsObject(
    LABEL,
    {
      seed: seedField('Seed', 2_147_483_647, 'The same seed and settings give the same model.'),
      num_inference_steps: intField('Inference steps', 1, 50, 'More steps are slower and finer.'),
      guidance_scale: numberField('Guidance scale', 0, 20, 'How closely the shape follows the image.'),
      octree_resolution: intField('Octree resolution', 1, 1024, 'Mesh grid resolution; higher gives finer detail.'),
      textured_mesh: boolField('Textured mesh', 'Paint a PBR texture on the mesh.'),
    },
    { input_image_url: "Images are the job's input files, not an option." },
  ),
  presets: HUNYUAN_PRESETS,
  buildInput(images, preset, options) {
    const [imageUrl] = requireImageUrls(images, 1, 1, LABEL);
    return { input_image_url: imageUrl, ...definedOnly(mergeOptions(HUNYUAN_PRESETS[preset].options, options)) };
  },
  parseOutput: (output) => parseFalOutput(output, LABEL, ['model_glb_pbr', 'model_glb']),
  estimateCostUsd: () => PRICE_USD,
};
