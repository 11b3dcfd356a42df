// Builders for option schemas whose error messages a person can act on: each names the field, the
// allowed values and what was given, so validateOptions can show zod's messages as they are.
import { z } from 'zod';
import { cutText } from '../../shared/text-cut';

/** Groups thousands the way the messages show limits: 100000 -> "100,000". */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** The first 40 characters (as people count them, never half an emoji) and '...' when there were more. */
function shortened(text: string): string {
  const head = cutText(text, 40, 400);
  return head === text ? text : `${head}...`;
}

/** How a rejected value is quoted back in a message: strings quoted, long values shortened. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(shortened(value));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return shortened(text);
}

function listChoices(values: readonly (string | number)[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** One error function for every check of a field, so a bad value yields exactly one kind of message. */
function errorWith(message: string) {
  return { error: (issue: { input?: unknown }) => `${message} (got ${showValue(issue.input)}).` };
}

export function intField(label: string, min: number, max: number, help?: string) {
  const err = errorWith(`${label} must be a whole number between ${formatLimit(min)} and ${formatLimit(max)}`);
  return z.number(err).int(err).min(min, err).max(max, err).meta({ title: label, description: help });
}

export function numberField(label: string, min: number, max: number, help?: string) {
  const err = errorWith(`${label} must be a number between ${formatLimit(min)} and ${formatLimit(max)}`);
  return z.number(err).min(min, err).max(max, err).meta({ title: label, description: help });
}

/** Seeds: "Seed must be a whole number." for anything that is not one, a range message otherwise. */
export function seedField(label: string, max: number, help?: string) {
  const notWhole = { error: () => `${label} must be a whole number.` };
  const range = errorWith(`${label} must be between 0 and ${formatLimit(max)}`);
  return z.number(notWhole).int(notWhole).min(0, range).max(max, range).meta({ title: label, description: help });
}

export function enumField<const T extends readonly [string, ...string[]]>(label: string, values: T, help?: string) {
  return z.enum(values, errorWith(`${label} must be one of ${listChoices(values)}`)).meta({ title: label, description: help });
}

export function numberChoiceField<const T extends readonly [number, ...number[]]>(label: string, values: T, help?: string) {
  return z.literal(values, errorWith(`${label} must be one of ${listChoices(values)}`)).meta({ title: label, description: help });
}

export function boolField(label: string, help?: string) {
  return z.boolean(errorWith(`${label} must be true or false`)).meta({ title: label, description: help });
}

/** Edit distance, to suggest "face_limit" for "facelimit". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const EXPLAINED_UNKNOWN_KEYS = 3;

function unknownKeyMessage(key: string, modelLabel: string, known: string[], unsupported: Record<string, string>): string {
  const reason = unsupported[key];
  if (reason !== undefined) return reason;
  const close = known
    // Names whose lengths differ by more than 2 are never within 2 edits: a huge key costs nothing here.
    .filter((k) => Math.abs(k.length - key.length) <= 2)
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= 2)
    .sort((x, y) => x.d - y.d)[0];
  const hint = close ? ` Did you mean "${close.k}"?` : '';
  return `${showValue(key)} is not an option of ${modelLabel}.${hint} Its options are: ${known.join(', ') || 'none'}.`;
}

/**
 * The user-options object of one model: every field optional (presets fill the rest), unknown keys
 * rejected by name. `unsupported` explains keys that exist on FAL but are fixed or refused here.
 */
export function optionsObject<S extends Record<string, z.ZodType>>(modelLabel: string, shape: S, unsupported: Record<string, string> = {}) {
  const known = Object.keys(shape);
  const optionalShape = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
  return z.strictObject(optionalShape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        // A few explained, the rest counted: a flood of names made this megabytes long and took seconds.
        const explained = issue.keys.slice(0, EXPLAINED_UNKNOWN_KEYS).map((key) => unknownKeyMessage(key, modelLabel, known, unsupported));
        const rest = issue.keys.length - explained.length;
        if (rest > 0) explained.push(`...and ${rest.toLocaleString('en-US')} more names that are not options of ${modelLabel}.`);
        return explained.join(' ');
      }
      return `Options for ${modelLabel} must be a set of name/value pairs (got ${showValue(issue.input)}).`;
    },
  });
}

/** Preset values first, then every option the user actually gave: user overrides win. */
export function mergeOptions(presetOptions: Record<string, unknown>, userOptions: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...presetOptions };
  for (const [key, value] of Object.entries(userOptions)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Copies the keys that have a value, so FAL falls back to its own default for the rest. */
export function definedOnly(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
