// TRELLIS, Hunyuan3D 2.1, Rodin and the offline relief: presets, overrides, outputs, validation, price.
import { describe, expect, it } from 'vitest';
import { hunyuanModel } from '../../../src/core/models/hunyuan';
import { reliefModel } from '../../../src/core/models/relief';
import { rodinModel } from '../../../src/core/models/rodin';
import { trellisModel } from '../../../src/core/models/trellis';
import type { ModelDefinition } from '../../../src/core/models/types';
import { validateOptions } from '../../../src/core/models/validate';
import { hunyuanOutput, rodinOutput, trellisOutput } from './fixtures';

const one = { urls: ['https://cdn/img.png'] };

function failure(model: ModelDefinition, options: unknown): string {
  const result = validateOptions(model, options);
  if (result.ok) throw new Error('expected a validation failure');
  return result.message;
}

describe('TRELLIS', () => {
  it('maps presets onto texture size, sampling steps and simplification', () => {
    expect(trellisModel.buildInput(one, 'draft', {})).toEqual({
      image_url: 'https://cdn/img.png', texture_size: 512, ss_sampling_steps: 8, slat_sampling_steps: 8, mesh_simplify: 0.98,
    });
    expect(trellisModel.buildInput(one, 'standard', {})).toMatchObject({ texture_size: 1024, ss_sampling_steps: 12 });
    expect(trellisModel.buildInput(one, 'high', {})).toMatchObject({ texture_size: 2048, slat_sampling_steps: 25, mesh_simplify: 0.9 });
  });

  it('lets overrides win', () => {
    expect(trellisModel.buildInput(one, 'draft', { texture_size: 2048, seed: 3, ss_guidance_strength: 5 })).toMatchObject({
      texture_size: 2048, seed: 3, ss_guidance_strength: 5, ss_sampling_steps: 8,
    });
  });

  it('reads model_mesh and ignores extra fields', () => {
    expect(trellisModel.parseOutput(trellisOutput)).toEqual({
      glb: { url: 'https://fal.media/files/t/mesh.glb', contentType: 'model/gltf-binary', fileName: 'mesh.glb', fileSize: 1234 },
      preview: null,
    });
    expect(trellisModel.parseOutput({ timings: {} })).toEqual({ error: expect.stringContaining('model_mesh') });
  });

  it('validates texture size and steps', () => {
    expect(failure(trellisModel, { texture_size: 300 })).toBe('Texture size must be one of 512, 1024 or 2048 (got 300).');
    expect(failure(trellisModel, { texture_size: '1024' })).toContain('Texture size must be one of');
    expect(failure(trellisModel, { ss_sampling_steps: 0 })).toBe('Structure sampling steps must be a whole number between 1 and 50 (got 0).');
    expect(failure(trellisModel, { mesh_simplify: 0.5 })).toBe('Mesh simplification must be a number between 0.9 and 0.98 (got 0.5).');
    expect(failure(trellisModel, { seed: 2.5 })).toBe('Seed must be a whole number.');
  });

  it('costs about two cents whatever the preset', () => {
    for (const preset of ['draft', 'standard', 'high'] as const) expect(trellisModel.estimateCostUsd(preset, {})).toBe(0.02);
  });
});

describe('Hunyuan3D 2.1', () => {
  it('maps presets onto steps, octree resolution and texturing', () => {
    expect(hunyuanModel.buildInput(one, 'draft', {})).toEqual({
      input_image_url: 'https://cdn/img.png', num_inference_steps: 25, octree_resolution: 256, textured_mesh: false,
    });
    expect(hunyuanModel.buildInput(one, 'standard', {})).toMatchObject({ num_inference_steps: 50, textured_mesh: true });
    expect(hunyuanModel.buildInput(one, 'high', {})).toMatchObject({ octree_resolution: 512, textured_mesh: true });
    expect(hunyuanModel.buildInput(one, 'high', { textured_mesh: false, guidance_scale: 5.5 })).toMatchObject({
      textured_mesh: false, guidance_scale: 5.5, octree_resolution: 512,
    });
  });

  it('prefers the PBR GLB, falls back to model_glb, never takes the zip', () => {
    expect(hunyuanModel.parseOutput(hunyuanOutput)).toMatchObject({ glb: { url: 'https://fal.media/files/h/textured_mesh_pbr.glb' } });
    const { model_glb_pbr: _pbr, ...plain } = hunyuanOutput;
    expect(hunyuanModel.parseOutput(plain)).toMatchObject({ glb: { url: 'https://fal.media/files/h/white_mesh.glb' } });
    expect(hunyuanModel.parseOutput({ model_mesh: hunyuanOutput.model_mesh, seed: 1 })).toEqual({
      error: expect.stringContaining('model_glb_pbr, model_glb'),
    });
  });

  it('validates its fields', () => {
    expect(failure(hunyuanModel, { num_inference_steps: 51 })).toBe('Inference steps must be a whole number between 1 and 50 (got 51).');
    expect(failure(hunyuanModel, { guidance_scale: 25 })).toBe('Guidance scale must be a number between 0 and 20 (got 25).');
    expect(failure(hunyuanModel, { textured_mesh: 1 })).toBe('Textured mesh must be true or false (got 1).');
    expect(failure(hunyuanModel, { input_image_url: 'x' })).toContain("Images are the job's input files");
  });

  it('has an approximate flat price', () => {
    expect(hunyuanModel.estimateCostUsd('draft', {})).toBe(0.05);
    expect(hunyuanModel.estimateCostUsd('high', {})).toBe(0.05);
  });
});

describe('Hyper3D Rodin', () => {
  it('maps presets onto tier, quality and material, and always asks for GLB', () => {
    expect(rodinModel.buildInput(one, 'draft', {})).toEqual({
      input_image_urls: ['https://cdn/img.png'], tier: 'Sketch', quality: 'low', material: 'Shaded', geometry_file_format: 'glb',
    });
    expect(rodinModel.buildInput(one, 'standard', {})).toMatchObject({ tier: 'Regular', quality: 'medium', material: 'PBR' });
    expect(rodinModel.buildInput(one, 'high', { quality: 'extra-low', seed: 65_535 })).toMatchObject({
      quality: 'extra-low', seed: 65_535, material: 'PBR', geometry_file_format: 'glb',
    });
  });

  it('sends several images as a list', () => {
    expect(rodinModel.buildInput({ urls: ['a', 'b', 'c'] }, 'standard', {})).toMatchObject({ input_image_urls: ['a', 'b', 'c'] });
    expect(() => rodinModel.buildInput({ urls: ['1', '2', '3', '4', '5', '6'] }, 'standard', {})).toThrow(/1 to 5/);
  });

  it('reads model_mesh', () => {
    expect(rodinModel.parseOutput(rodinOutput)).toMatchObject({ glb: { url: 'https://fal.media/files/r/base_basic_pbr.glb' }, preview: null });
    expect(rodinModel.parseOutput({ model_mesh: { url: 'https://r/base.usdz' } })).toEqual({ error: expect.stringContaining('USDZ') });
  });

  it('validates its enums and seed range, and keeps the format fixed', () => {
    expect(failure(rodinModel, { material: 'Metal' })).toBe('Material must be one of "PBR" or "Shaded" (got "Metal").');
    expect(failure(rodinModel, { quality: 'ultra' })).toBe('Quality must be one of "high", "medium", "low" or "extra-low" (got "ultra").');
    expect(failure(rodinModel, { seed: 70_000 })).toBe('Seed must be between 0 and 65,535 (got 70000).');
    expect(failure(rodinModel, { geometry_file_format: 'obj' })).toBe('The output format is fixed to GLB in this app.');
  });

  it('costs about forty cents', () => {
    expect(rodinModel.estimateCostUsd('draft', {})).toBe(0.4);
    expect(rodinModel.estimateCostUsd('high', {})).toBe(0.4);
  });
});

describe('Relief (offline)', () => {
  it('returns the local generator options, preset filled in and user values winning', () => {
    expect(reliefModel.buildInput(one, 'draft', {})).toEqual({ gridResolution: 96, depthScale: 0.15, textureMaxSide: 512 });
    expect(reliefModel.buildInput(one, 'standard', {})).toEqual({ gridResolution: 160, depthScale: 0.15, textureMaxSide: 1024 });
    expect(reliefModel.buildInput(one, 'high', { depthScale: 0.4 })).toEqual({ gridResolution: 320, depthScale: 0.4, textureMaxSide: 2048 });
  });

  it('is free, runs offline, and says it is not an AI reconstruction', () => {
    expect(reliefModel.provider).toBe('offline');
    expect(reliefModel.estimateCostUsd('high', {})).toBe(0);
    expect(reliefModel.description).toMatch(/this computer/);
    expect(reliefModel.description).toMatch(/not an AI reconstruction/);
    expect(reliefModel.parseOutput({ model_mesh: { url: 'https://x.glb' } })).toHaveProperty('error');
  });

  it('validates its options', () => {
    expect(failure(reliefModel, { gridResolution: 8 })).toBe('Grid resolution must be a whole number between 16 and 1,024 (got 8).');
    expect(failure(reliefModel, { face_limit: 1000 })).toContain('"face_limit" is not an option of Relief (offline)');
  });
});
