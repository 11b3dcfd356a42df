import { describe, expect, it } from 'vitest';
import { getModel, listModels } from '../../src/core/models/catalog';
import { parseViewsSpec, planInputSet } from '../../src/cli/input-set-args';

const plan = (model: string, flags: { views?: string; together?: boolean; images?: string[] }) =>
  planInputSet({ views: flags.views, together: flags.together ?? false, images: flags.images ?? [], model: getModel(model)!, catalog: listModels() });
const MULTIVIEW = 'tripo3d/tripo/v2.5/multiview-to-3d';
const RODIN = 'fal-ai/hyper3d/rodin';

describe('parseViewsSpec', () => {
  it('reads view=image pairs in order, views in any case', () => {
    expect(parseViewsSpec('front=a.jpg, LEFT=dir/b.jpg,back=c d.jpg')).toEqual({
      ok: true,
      inputs: [
        { role: 'front', path: 'a.jpg' },
        { role: 'left', path: 'dir/b.jpg' },
        { role: 'back', path: 'c d.jpg' },
      ],
    });
  });

  it.each([
    ['side=a.jpg', /"side" is not a view/],
    ['front=a.jpg,front=b.jpg', /names the front view twice/],
    ['a.jpg', /expects view=image pairs/],
    ['front=', /expects view=image pairs/],
    ['', /expects view=image pairs/],
  ])('refuses %j', (spec, message) => {
    const result = parseViewsSpec(spec);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('planInputSet', () => {
  it('plans named views for Tripo Multiview and ordered images for the others', () => {
    expect(plan(MULTIVIEW, { views: 'back=b.jpg,front=f.jpg' })).toEqual({ ok: true, inputs: [{ role: 'back', path: 'b.jpg' }, { role: 'front', path: 'f.jpg' }] });
    expect(plan(RODIN, { together: true, images: ['1.jpg', '2.jpg'] })).toEqual({ ok: true, inputs: [{ role: null, path: '1.jpg' }, { role: null, path: '2.jpg' }] });
  });

  it.each([
    [MULTIVIEW, { views: 'left=a.jpg' }, /needs a front view/],
    [MULTIVIEW, { views: 'front=a.jpg', images: ['b.jpg'] }, /give every image as view=image/],
    [MULTIVIEW, { together: true, images: ['a.jpg', 'b.jpg'] }, /takes named views: use --views front=a.jpg,left=b.jpg/],
    [RODIN, { views: 'front=a.jpg' }, /takes its images in order, not by view: use --together/],
    [RODIN, { together: true, images: Array(6).fill('a.jpg') }, /takes at most 5 images; got 6/],
    ['fal-ai/trellis/multi', { together: true, images: ['a.jpg'] }, /needs at least 2 images; got 1/],
    ['tripo3d/tripo/v2.5/image-to-3d', { together: true, images: ['a.jpg', 'b.jpg'] }, /--model fal-ai\/trellis\/multi or fal-ai\/hyper3d\/rodin/],
    ['offline/relief', { views: 'front=a.jpg' }, /makes a model from one image; --views needs a model that takes named views \(tripo3d\/tripo\/v2.5\/multiview-to-3d\)/],
    [RODIN, { views: 'front=a.jpg', together: true }, /either --views or --together/],
  ])('%s %j: %s', (model, flags, message) => {
    const result = plan(model, flags);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});
