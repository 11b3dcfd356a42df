// The offline entry: a relief made on this computer by src/core/offline, no key and no cost.
// buildInput only resolves the options of the local generator (its ReliefOptions, same names);
// nothing here talks to FAL.
import type { Preset } from '../../shared/domain';
import { definedOnly, intField, mergeOptions, numberField, optionsObject } from './fields';
import type { ModelDefinition, ModelPresetSpec } from './types';

export const RELIEF_ID = 'offline/relief';
const LABEL = 'Relief (offline)';

const RELIEF_PRESETS: Record<Preset, ModelPresetSpec> = {
  draft: { summary: 'Coarse grid (96 samples), 512 px photo', options: { gridResolution: 96, depthScale: 0.15, textureMaxSide: 512 } },
  standard: { summary: 'Medium grid (160 samples), 1024 px photo', options: { gridResolution: 160, depthScale: 0.15, textureMaxSide: 1024 } },
  high: { summary: 'Fine grid (320 samples), 2048 px photo', options: { gridResolution: 320, depthScale: 0.15, textureMaxSide: 2048 } },
};

export const reliefModel: ModelDefinition = {
  id: RELIEF_ID,
  label: LABEL,
  description:
    'A depth relief of your photo, made on this computer: the outline is raised into a shallow, pillow-like ' +
    'shape with the photo on the front. It is not an AI reconstruction: the back is flat and hidden sides are ' +
    'not recovered. Free, and needs no key.',
  provider: 'offline',
  images: { min: 1, max: 1 },
  optionsSchema: optionsObject(LABEL, {
    gridResolution: intField('Grid resolution', 16, 1024, "Samples along the image's long side; more gives a finer surface."),
    depthScale: numberField('Depth', 0, 2, "Relief depth as a share of the subject's width."),
    textureMaxSide: intField('Photo size', 16, 8192, 'Longest side of the photo on the model, in pixels (never enlarged).'),
  }),
  presets: RELIEF_PRESETS,
  /** The local generator's options (preset filled in, user values win); images are not used. */
  buildInput: (_images, preset: Preset, options) => definedOnly(mergeOptions(RELIEF_PRESETS[preset].options, options)),
  parseOutput: () => ({ error: 'The offline relief is made on this computer; it has no FAL output to read.' }),
  estimateCostUsd: () => 0,
};
