// What the UI and CLI learn about a model of the catalog: plain data, safe to send over IPC.
import { z } from 'zod';
import { PresetSchema } from './domain';
import { VIEW_ROLES } from './input-roles';

/** One user option as a form or `--help` needs it. Values come from the model's zod schema. */
export const OptionFieldSummarySchema = z.object({
  key: z.string(),
  label: z.string(),
  help: z.string().nullable(),
  type: z.enum(['integer', 'number', 'boolean', 'enum']),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** Allowed values for 'enum' fields (strings, or numbers such as texture sizes). */
  values: z.array(z.union([z.string(), z.number()])).nullable(),
});
export type OptionFieldSummary = z.infer<typeof OptionFieldSummarySchema>;

export const PresetSummarySchema = z.object({
  name: PresetSchema,
  summary: z.string(),
  /** The option values the preset sets; the user's own options win over them. */
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type PresetSummary = z.infer<typeof PresetSummarySchema>;

export const ModelSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  provider: z.enum(['fal', 'offline']),
  images: z.object({ min: z.number().int().nonnegative(), max: z.number().int().positive() }),
  /** Multi-image models that name their images by view (front first, required); null: an ordered list. */
  views: z.array(z.enum(VIEW_ROLES)).nullable().default(null),
  presets: z.array(PresetSummarySchema),
  /** Estimated USD per generation with each preset and no other options (FAL prices are approximate). */
  priceByPreset: z.object({ draft: z.number(), standard: z.number(), high: z.number() }),
  options: z.array(OptionFieldSummarySchema),
  /** What priceByPreset is based on: FAL's own price list (with its date) or the app's built-in prices. */
  price: z
    .object({
      source: z.enum(['fal', 'built_in']),
      /** When FAL gave the price (epoch ms); null for built-in prices. */
      asOf: z.number().nullable(),
      unit: z.string().nullable(),
      unitPriceUsd: z.number().nullable(),
    })
    .optional(),
});
export type ModelPrice = NonNullable<z.infer<typeof ModelSummarySchema>['price']>;
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
