// A cheap look at a call's input before zod parses it: an object with a flood of names (200,000 unknown
// option keys) made zod and the option checks work for seconds and answer with every name listed.
import { z } from 'zod';

/** Far above any real object of the contract (settings, options and requests have a few dozen names). */
export const MAX_KEYS_PER_OBJECT = 256;
const NAMED_KEYS = 3;
const KEY_SHOWN_CHARS = 40;

type Path = readonly (string | number)[];

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** The first object (breadth first) with more than `maxKeys` own names, with its path and names. */
export interface CrowdedObject {
  path: Path;
  object: Record<string, unknown>;
  keys: string[];
}

export function findCrowdedObject(input: unknown, maxKeys = MAX_KEYS_PER_OBJECT): CrowdedObject | null {
  const queue: { value: unknown; path: Path }[] = [{ value: input, path: [] }];
  const seen = new Set<object>(); // structured clone carries cycles
  for (let i = 0; i < queue.length; i++) {
    const { value, path } = queue[i]!;
    // Arrays and plain objects only: image bytes (typed arrays) are never walked.
    if (Array.isArray(value)) {
      if (seen.has(value)) continue;
      seen.add(value);
      value.forEach((child, index) => queue.push({ value: child, path: [...path, index] }));
    } else if (isPlainObject(value)) {
      if (seen.has(value)) continue;
      seen.add(value);
      const keys = Object.keys(value);
      if (keys.length > maxKeys) return { path, object: value, keys };
      for (const key of keys) queue.push({ value: value[key], path: [...path, key] });
    }
  }
  return null;
}

/** The names a schema declares at `path` (objects, through optional/nullable/default, arrays and unions). */
export function declaredKeysAt(schema: z.ZodType, path: Path): Set<string> {
  let at: z.ZodType[] = [schema];
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) return unwrap(s.unwrap() as z.ZodType);
    if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(unwrap);
    return [s];
  };
  for (const step of path) {
    at = at.flatMap(unwrap).flatMap((s): z.ZodType[] => {
      if (typeof step === 'number') return s instanceof z.ZodArray ? [s.element as z.ZodType] : [];
      if (s instanceof z.ZodObject) {
        const field: unknown = Object.prototype.hasOwnProperty.call(s.shape, step) ? s.shape[step] : undefined;
        return field instanceof z.ZodType ? [field] : [];
      }
      return s instanceof z.ZodRecord ? [s.valueType as z.ZodType] : [];
    });
  }
  return new Set(at.flatMap(unwrap).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : [])));
}

const showKey = (key: string) => JSON.stringify(key.length > KEY_SHOWN_CHARS ? `${key.slice(0, KEY_SHOWN_CHARS)}…` : key);

/** `"a", "b", "c" and 199,997 more`: a few names, each shortened, however many there are. */
export function listSomeKeys(keys: readonly string[], total = keys.length): string {
  const shown = keys.slice(0, NAMED_KEYS).map(showKey).join(', ');
  const rest = total - Math.min(keys.length, NAMED_KEYS);
  return rest > 0 ? `${shown} and ${rest.toLocaleString('en-US')} more` : shown;
}

/** A few of a crowded object's names its schema does not declare, and how many there are (no pass over them all). */
export function describeUnknownKeys(crowded: CrowdedObject, declared: ReadonlySet<string>): string {
  const first: string[] = [];
  for (let i = 0; i < crowded.keys.length && first.length < NAMED_KEYS; i++) {
    if (!declared.has(crowded.keys[i]!)) first.push(crowded.keys[i]!);
  }
  let present = 0;
  for (const key of declared) if (Object.prototype.hasOwnProperty.call(crowded.object, key)) present++;
  return listSomeKeys(first, crowded.keys.length - present);
}

export function describePath(path: Path): string {
  return path.length ? path.map((step) => showKey(String(step)).slice(1, -1)).join('.') : 'the request';
}
