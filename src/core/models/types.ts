// The shape of one entry in the model catalog. The engine only talks to endpoints through this.
import type { z } from 'zod';
import type { Preset } from '../../shared/domain';
import type { ViewRole } from '../../shared/input-roles';

/** A FAL File object as found in outputs: `{url, content_type?, file_name?, file_size?}`. */
export interface FalFileRef {
  url: string;
  contentType?: string;
  fileName?: string;
  fileSize?: number;
}

export interface ModelInputImages {
  /** Uploaded image URLs, first is the main/front view. Multiview endpoints take up to 4. */
  urls: string[];
}

/** What one quality preset sets, in the vocabulary of the model's own options (user options win). */
export interface ModelPresetSpec {
  /** One line for the UI/CLI, e.g. "About 10k faces, no texture: a quick shape check". */
  summary: string;
  options: Record<string, unknown>;
}

export interface ModelDefinition {
  /** FAL endpoint id, e.g. 'tripo3d/tripo/v2.5/image-to-3d'; 'offline/relief' for the local generator. */
  id: string;
  label: string;
  description: string;
  /** 'fal' runs on FAL with a key; 'offline' runs locally with no key. */
  provider: 'fal' | 'offline';
  /** How many input images the endpoint takes. */
  images: { min: number; max: number };
  /**
   * (multi-image) The views the endpoint names its images by, in the order ModelInputImages.urls
   * holds them; the first is required. Absent: the images are an ordered list (or just one).
   */
  views?: readonly ViewRole[];
  /** zod schema for user overrides (fields, enums, ranges). Unknown keys are rejected. */
  optionsSchema: z.ZodType<Record<string, unknown>>;
  /** Builds the FAL input JSON from images, preset and validated user options. */
  buildInput(images: ModelInputImages, preset: Preset, options: Record<string, unknown>): Record<string, unknown>;
  /** Finds the GLB (and preview image) in the endpoint's output; tolerates unknown fields. */
  parseOutput(output: unknown): { glb: FalFileRef; preview: FalFileRef | null } | { error: string };
  /** Price estimate in USD for one generation with these settings. */
  estimateCostUsd(preset: Preset, options: Record<string, unknown>): number;
  /** (added) The presets' option values and summaries, for describeModel and option forms. */
  presets?: Record<Preset, ModelPresetSpec>;
}
