import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_ID, getModel, listModels, MODEL_CATALOG, OFFLINE_MODEL_ID, validateOptions,
} from '../../../src/core/models/catalog';
import { describeModel } from '../../../src/core/models/summary';
import { ModelSummarySchema } from '../../../src/shared/models';

describe('model catalog', () => {
  it('lists the seven endpoints once each', () => {
    const ids = MODEL_CATALOG.map((m) => m.id);
    expect(ids).toEqual([
      'tripo3d/tripo/v2.5/image-to-3d',
      'tripo3d/tripo/v2.5/multiview-to-3d',
      'fal-ai/trellis',
      'fal-ai/trellis/multi',
      'fal-ai/hunyuan3d-v21',
      'fal-ai/hyper3d/rodin',
      'offline/relief',
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(listModels()).toBe(MODEL_CATALOG);
  });

  it('finds models by id, the default and the offline one included', () => {
    expect(getModel(DEFAULT_MODEL_ID)?.label).toBe('Tripo v2.5');
    expect(getModel(OFFLINE_MODEL_ID)).toMatchObject({ label: 'Relief (offline)', provider: 'offline', images: { min: 1, max: 1 } });
    expect(getModel('fal-ai/nope')).toBeUndefined();
  });

  it('gives every model presets whose own values pass its validation', () => {
    for (const model of MODEL_CATALOG) {
      for (const preset of ['draft', 'standard', 'high'] as const) {
        const spec = model.presets?.[preset];
        expect(spec, `${model.id} ${preset}`).toBeDefined();
        expect(validateOptions(model, spec!.options), `${model.id} ${preset}`).toMatchObject({ ok: true });
      }
    }
  });

  it('accepts empty overrides for every model', () => {
    for (const model of MODEL_CATALOG) expect(validateOptions(model, {})).toEqual({ ok: true, options: {} });
  });
});

describe('describeModel', () => {
  it('produces summaries that satisfy the shared schema', () => {
    for (const model of MODEL_CATALOG) {
      const summary = describeModel(model);
      expect(ModelSummarySchema.parse(summary)).toEqual(summary);
      expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    }
  });

  it('carries presets, prices and option fields for Tripo', () => {
    const summary = describeModel(getModel(DEFAULT_MODEL_ID)!);
    expect(summary.priceByPreset).toEqual({ draft: 0.2, standard: 0.3, high: 0.4 });
    expect(summary.presets.map((p) => p.name)).toEqual(['draft', 'standard', 'high']);
    expect(summary.presets[0]).toMatchObject({ options: { face_limit: 10_000, texture: 'no', pbr: false } });
    expect(summary.options.find((o) => o.key === 'face_limit')).toEqual({
      key: 'face_limit', label: 'Face limit', help: expect.any(String), type: 'integer', min: 1000, max: 100_000, values: null,
    });
    expect(summary.options.find((o) => o.key === 'texture')).toMatchObject({ type: 'enum', values: ['no', 'standard', 'HD'] });
    expect(summary.options.find((o) => o.key === 'pbr')).toMatchObject({ type: 'boolean', label: 'PBR' });
  });

  it('lists number choices and prices for the others', () => {
    const trellis = describeModel(getModel('fal-ai/trellis')!);
    expect(trellis.options.find((o) => o.key === 'texture_size')).toMatchObject({ type: 'enum', values: [512, 1024, 2048] });
    expect(trellis.priceByPreset).toEqual({ draft: 0.02, standard: 0.02, high: 0.02 });
    expect(describeModel(getModel(OFFLINE_MODEL_ID)!).priceByPreset).toEqual({ draft: 0, standard: 0, high: 0 });
  });
});
