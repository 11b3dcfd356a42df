// A model definition as plain data for the UI and CLI: presets, prices and option fields, read from
// the definition itself (option fields from its zod schema, so they cannot drift from validation).
import { z } from 'zod';
import { PRESETS } from '../../shared/domain';
import type { ModelSummary, OptionFieldSummary, PresetSummary } from '../../shared/models';
import type { ModelDefinition } from './types';
import { isRecord } from '../util/errors';

type PresetOptionValue = string | number | boolean;

const roundCents = (usd: number): number => Math.round(usd * 100) / 100;

function describeField(key: string, property: Record<string, unknown>): OptionFieldSummary | null {
  const label = typeof property.title === 'string' ? property.title : key;
  const help = typeof property.description === 'string' ? property.description : null;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  if (Array.isArray(property.enum)) {
    const values = property.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    return { key, label, help, type: 'enum', min: null, max: null, values };
  }
  if (property.type === 'integer' || property.type === 'number') {
    return { key, label, help, type: property.type, min: num(property.minimum), max: num(property.maximum), values: null };
  }
  if (property.type === 'boolean') return { key, label, help, type: 'boolean', min: null, max: null, values: null };
  return null;
}

/** The option fields of a schema, in declaration order; [] when it cannot be described. */
export function describeOptionFields(schema: z.ZodType): OptionFieldSummary[] {
  let json: unknown;
  try {
    json = z.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    return [];
  }
  if (!isRecord(json) || !isRecord(json.properties)) return [];
  const fields: OptionFieldSummary[] = [];
  for (const [key, property] of Object.entries(json.properties)) {
    const field = isRecord(property) ? describeField(key, property) : null;
    if (field) fields.push(field);
  }
  return fields;
}

function presetOptions(options: Record<string, unknown>): Record<string, PresetOptionValue> {
  const plain: Record<string, PresetOptionValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') plain[key] = value;
  }
  return plain;
}

export function describeModel(model: ModelDefinition): ModelSummary {
  const presets: PresetSummary[] = PRESETS.map((name) => {
    const spec = model.presets?.[name];
    return { name, summary: spec?.summary ?? name, options: presetOptions(spec?.options ?? {}) };
  });
  return {
    id: model.id,
    label: model.label,
    description: model.description,
    provider: model.provider,
    images: { min: model.images.min, max: model.images.max },
    views: model.views ? [...model.views] : null,
    presets,
    priceByPreset: {
      draft: roundCents(model.estimateCostUsd('draft', {})),
      standard: roundCents(model.estimateCostUsd('standard', {})),
      high: roundCents(model.estimateCostUsd('high', {})),
    },
    options: describeOptionFields(model.optionsSchema),
  };
}
