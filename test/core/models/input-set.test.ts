import { describe, expect, it } from 'vitest';
import { getModel } from '../../../src/core/models/catalog';
import { buildSetInput, inputSetProblem } from '../../../src/core/models/input-set';
import type { ModelDefinition } from '../../../src/core/models/types';

const model = (id: string): ModelDefinition => getModel(id)!;
const MULTIVIEW = model('tripo3d/tripo/v2.5/multiview-to-3d');
const RODIN = model('fal-ai/hyper3d/rodin');
const TRELLIS_MULTI = model('fal-ai/trellis/multi');
const url = (n: number) => `https://fal.media/files/u/${n}.png`;

describe('buildSetInput', () => {
  it('puts Tripo Multiview images in their view fields, whatever their order, skipping empty views', () => {
    const input = buildSetInput(MULTIVIEW, [
      { role: 'back', url: url(3) },
      { role: 'front', url: url(1) },
    ], 'standard', {});
    expect(input).toEqual({
      front_image_url: url(1),
      back_image_url: url(3),
      face_limit: 50_000,
      texture: 'standard',
      pbr: true,
    });
  });

  it('sends Rodin and TRELLIS multi-image the images as an ordered list', () => {
    const set = [3, 1, 2].map((n) => ({ role: null, url: url(n) }));
    expect(buildSetInput(RODIN, set, 'draft', {})).toMatchObject({ input_image_urls: [url(3), url(1), url(2)], geometry_file_format: 'glb' });
    expect(buildSetInput(TRELLIS_MULTI, set, 'high', { multiimage_algo: 'multidiffusion' })).toEqual({
      image_urls: [url(3), url(1), url(2)],
      texture_size: 2048,
      ss_sampling_steps: 25,
      slat_sampling_steps: 25,
      mesh_simplify: 0.9,
      multiimage_algo: 'multidiffusion',
    });
  });

  it('refuses a set that does not fit rather than send it', () => {
    expect(() => buildSetInput(MULTIVIEW, [{ role: 'left', url: url(1) }], 'standard', {})).toThrow(/needs a front view/);
  });
});

describe('inputSetProblem', () => {
  it('accepts sets that fit', () => {
    expect(inputSetProblem(MULTIVIEW, ['front'])).toBeNull();
    expect(inputSetProblem(MULTIVIEW, ['right', 'front', 'left', 'back'])).toBeNull();
    expect(inputSetProblem(RODIN, [null, null, null, null, null])).toBeNull();
    expect(inputSetProblem(TRELLIS_MULTI, [null, null])).toBeNull();
  });

  it('says what is wrong with sets that do not', () => {
    expect(inputSetProblem(MULTIVIEW, ['left', 'back'])).toMatch(/needs a front view/);
    expect(inputSetProblem(MULTIVIEW, ['front', 'front'])).toMatch(/Two images are the front view/);
    expect(inputSetProblem(MULTIVIEW, ['front', null])).toMatch(/needs the view of each image/);
    expect(inputSetProblem(MULTIVIEW, ['front', 'left', 'back', 'right', 'front'])).toMatch(/at most 4 images; got 5/);
    expect(inputSetProblem(RODIN, Array(6).fill(null))).toMatch(/at most 5 images; got 6/);
    expect(inputSetProblem(RODIN, ['front', 'left'])).toMatch(/in order, not by view/);
    expect(inputSetProblem(TRELLIS_MULTI, [null])).toMatch(/at least 2 images; got 1/);
    expect(inputSetProblem(model('tripo3d/tripo/v2.5/image-to-3d'), [null, null])).toMatch(/makes a model from one image/);
  });
});
