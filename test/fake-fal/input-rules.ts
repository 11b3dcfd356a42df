// Input checks the fake makes at submit, as FAL's endpoints do for their multi-image fields: a 422
// with pydantic-style `detail[] = {loc, msg, type}` before anything is queued. Endpoints not listed
// here accept any JSON object (the fake never fetches the image URLs).
import type { FalFieldError } from './types';

type Rule = (input: Record<string, unknown>) => FalFieldError[];

const missing = (field: string): FalFieldError => ({ loc: ['body', field], msg: 'field required', type: 'value_error.missing' });
const notString = (loc: (string | number)[]): FalFieldError => ({ loc: ['body', ...loc], msg: 'str type expected', type: 'type_error.str' });

function urlField(input: Record<string, unknown>, field: string, required: boolean): FalFieldError[] {
  const value = input[field];
  if (value === undefined || value === null) return required ? [missing(field)] : [];
  return typeof value === 'string' ? [] : [notString([field])];
}

function urlList(input: Record<string, unknown>, field: string, limits: { required: boolean; min: number; max?: number }): FalFieldError[] {
  const value = input[field];
  if (value === undefined || value === null) return limits.required ? [missing(field)] : [];
  if (!Array.isArray(value)) return [{ loc: ['body', field], msg: 'value is not a valid list', type: 'type_error.list' }];
  if (value.length < limits.min) {
    return [{ loc: ['body', field], msg: `ensure this value has at least ${limits.min} items`, type: 'value_error.list.min_items' }];
  }
  if (limits.max !== undefined && value.length > limits.max) {
    return [{ loc: ['body', field], msg: `ensure this value has at most ${limits.max} items`, type: 'value_error.list.max_items' }];
  }
  return value.flatMap((item, i) => (typeof item === 'string' ? [] : [notString([field, i])]));
}

const RULES: Record<string, Rule> = {
  'tripo3d/tripo/v2.5/multiview-to-3d': (input) => [
    ...urlField(input, 'front_image_url', true),
    ...['left_image_url', 'back_image_url', 'right_image_url'].flatMap((field) => urlField(input, field, false)),
  ],
  // Rodin also makes models from a prompt alone, so its images are optional; five at most.
  'fal-ai/hyper3d/rodin': (input) => urlList(input, 'input_image_urls', { required: false, min: 1, max: 5 }),
  'fal-ai/trellis/multi': (input) => urlList(input, 'image_urls', { required: true, min: 1 }),
};

/** What FAL would refuse in this submission; [] when it is accepted. */
export function inputErrors(endpointId: string, input: unknown): FalFieldError[] {
  const rule = RULES[endpointId];
  if (!rule) return [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }];
  }
  return rule(input as Record<string, unknown>);
}
