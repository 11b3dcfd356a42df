import { describe, expect, it } from 'vitest';
import { tripoImageModel, tripoMultiviewModel } from '../../../src/core/models/tripo';
import { validateOptions } from '../../../src/core/models/validate';
import { tripoOutput } from './fixtures';

const one = { urls: ['https://cdn/img.png'] };

describe('Tripo v2.5 image-to-3d buildInput', () => {
  it('maps each preset onto face_limit, texture and pbr', () => {
    expect(tripoImageModel.buildInput(one, 'draft', {})).toEqual({
      image_url: 'https://cdn/img.png', face_limit: 10_000, texture: 'no', pbr: false,
    });
    expect(tripoImageModel.buildInput(one, 'standard', {})).toEqual({
      image_url: 'https://cdn/img.png', face_limit: 50_000, texture: 'standard', pbr: true,
    });
    expect(tripoImageModel.buildInput(one, 'high', {})).toEqual({
      image_url: 'https://cdn/img.png', face_limit: 100_000, texture: 'HD', pbr: true,
    });
  });

  it('lets user options win over the preset and passes the other real fields through', () => {
    const input = tripoImageModel.buildInput(one, 'high', {
      face_limit: 20_000, seed: 7, texture_seed: 9, texture_alignment: 'geometry', auto_size: true, orientation: 'align_image',
    });
    expect(input).toEqual({
      image_url: 'https://cdn/img.png', face_limit: 20_000, texture: 'HD', pbr: true, seed: 7, texture_seed: 9,
      texture_alignment: 'geometry', auto_size: true, orientation: 'align_image',
    });
  });

  it('turns PBR off when the user asks for no texture, and brings a texture when PBR is asked on a draft', () => {
    expect(tripoImageModel.buildInput(one, 'standard', { texture: 'no' })).toMatchObject({ texture: 'no', pbr: false });
    expect(tripoImageModel.buildInput(one, 'draft', { pbr: true })).toMatchObject({ texture: 'standard', pbr: true });
  });

  it('does not send options that were given as undefined', () => {
    expect(tripoImageModel.buildInput(one, 'draft', { seed: undefined })).not.toHaveProperty('seed');
  });

  it('refuses a wrong number of images instead of sending a request without one', () => {
    expect(() => tripoImageModel.buildInput({ urls: [] }, 'draft', {})).toThrow(/takes 1 image/);
    expect(() => tripoImageModel.buildInput({ urls: ['a', 'b'] }, 'draft', {})).toThrow(/takes 1 image/);
  });
});

describe('Tripo v2.5 multiview buildInput', () => {
  it('puts images in front, left, back, right order', () => {
    const input = tripoMultiviewModel.buildInput({ urls: ['f', 'l', 'b', 'r'] }, 'standard', {});
    expect(input).toEqual({
      front_image_url: 'f', left_image_url: 'l', back_image_url: 'b', right_image_url: 'r',
      face_limit: 50_000, texture: 'standard', pbr: true,
    });
  });

  it('accepts the front alone and skips empty slots', () => {
    expect(tripoMultiviewModel.buildInput({ urls: ['f'] }, 'draft', {})).toEqual({
      front_image_url: 'f', face_limit: 10_000, texture: 'no', pbr: false,
    });
    const input = tripoMultiviewModel.buildInput({ urls: ['f', '', 'b'] }, 'draft', {});
    expect(input).toMatchObject({ front_image_url: 'f', back_image_url: 'b' });
    expect(input).not.toHaveProperty('left_image_url');
  });

  it('needs a front image and at most four views', () => {
    expect(() => tripoMultiviewModel.buildInput({ urls: ['', 'l'] }, 'draft', {})).toThrow(/first one required/);
    expect(() => tripoMultiviewModel.buildInput({ urls: ['1', '2', '3', '4', '5'] }, 'draft', {})).toThrow();
  });
});

describe('Tripo parseOutput', () => {
  it('prefers pbr_model, then base_model, then model_mesh, and returns the rendered preview', () => {
    expect(tripoImageModel.parseOutput(tripoOutput)).toEqual({
      glb: { url: 'https://fal.media/files/x/pbr.glb', contentType: 'model/gltf-binary', fileName: 'pbr.glb', fileSize: 1234 },
      preview: { url: 'https://fal.media/files/x/preview.png', contentType: 'image/png' },
    });
    const { pbr_model: _pbr, ...noPbr } = tripoOutput;
    expect(tripoImageModel.parseOutput(noPbr)).toMatchObject({ glb: { url: 'https://fal.media/files/x/base.glb' } });
    expect(tripoMultiviewModel.parseOutput({ model_mesh: { url: 'https://m/only.glb' } })).toEqual({
      glb: { url: 'https://m/only.glb' }, preview: null,
    });
  });

  it('skips fields that are null or have no url', () => {
    const output = { pbr_model: null, base_model: { content_type: 'model/gltf-binary' }, model_mesh: { url: 'https://m/x.glb' } };
    expect(tripoImageModel.parseOutput(output)).toMatchObject({ glb: { url: 'https://m/x.glb' } });
  });

  it('says clearly when no model file is there', () => {
    const result = tripoImageModel.parseOutput({ task_id: 'x', rendered_image: { url: 'https://p.png' } });
    expect(result).toEqual({ error: expect.stringMatching(/Tripo v2\.5 .*no model file.*pbr_model, base_model, model_mesh/) });
    expect(tripoImageModel.parseOutput(null)).toEqual({ error: expect.stringContaining('not an object') });
    expect(tripoImageModel.parseOutput('oops')).toHaveProperty('error');
  });

  it('refuses an FBX result rather than passing it on as the GLB', () => {
    const result = tripoImageModel.parseOutput({ model_mesh: { url: 'https://m/model.fbx', file_name: 'model.fbx' } });
    expect(result).toEqual({ error: expect.stringContaining('FBX') });
  });
});

describe('Tripo options validation', () => {
  const message = (options: unknown) => {
    const result = validateOptions(tripoImageModel, options);
    if (result.ok) throw new Error('expected a validation failure');
    return result.message;
  };

  it('names the face limit range and the bad value', () => {
    expect(message({ face_limit: 500 })).toBe('Face limit must be a whole number between 1,000 and 100,000 (got 500).');
    expect(message({ face_limit: 100_001 })).toBe('Face limit must be a whole number between 1,000 and 100,000 (got 100001).');
    expect(message({ face_limit: 1.5 })).toBe('Face limit must be a whole number between 1,000 and 100,000 (got 1.5).');
    expect(message({ face_limit: 'abc' })).toBe('Face limit must be a whole number between 1,000 and 100,000 (got "abc").');
  });

  it('accepts the face limit bounds', () => {
    expect(validateOptions(tripoImageModel, { face_limit: 1000 })).toEqual({ ok: true, options: { face_limit: 1000 } });
    expect(validateOptions(tripoImageModel, { face_limit: 100_000 }).ok).toBe(true);
  });

  it('wants whole-number seeds', () => {
    expect(message({ seed: 1.5 })).toBe('Seed must be a whole number.');
    expect(message({ seed: '12' })).toBe('Seed must be a whole number.');
    expect(message({ texture_seed: 0.1 })).toBe('Texture seed must be a whole number.');
    expect(message({ seed: -1 })).toBe('Seed must be between 0 and 2,147,483,647 (got -1).');
  });

  it('lists the allowed values of an enum', () => {
    expect(message({ texture: 'ultra' })).toBe('Texture must be one of "no", "standard" or "HD" (got "ultra").');
    expect(message({ orientation: 'up' })).toContain('Orientation must be one of "default" or "align_image"');
    expect(message({ pbr: 'yes' })).toBe('PBR must be true or false (got "yes").');
  });

  it('rejects unknown keys by name, with a suggestion when close', () => {
    expect(message({ facelimit: 5000 })).toMatch(/^"facelimit" is not an option of Tripo v2\.5\. Did you mean "face_limit"\?/);
    expect(message({ colour: 'red' })).toContain('"colour" is not an option of Tripo v2.5. Its options are: seed, face_limit');
    expect(message({ quad: true })).toContain('FBX');
  });

  it('many unknown keys: explains the first three and counts the rest (it listed every one, megabytes for 10,000)', () => {
    const flood = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const text = message(flood);
    expect(text.length).toBeLessThan(2048);
    expect(text).toMatch(/^"k0" is not an option of Tripo v2\.5\..*"k1".*"k2"/);
    expect(text).not.toContain('"k3"');
    expect(text).toContain('and 9,997 more names that are not options of Tripo v2.5');
    expect(message({ ['x'.repeat(100_000)]: 1 }).length).toBeLessThan(2048);
  });

  it('refuses PBR without a texture when both are given', () => {
    expect(message({ pbr: true, texture: 'no' })).toContain('PBR needs a texture');
  });

  it('reports several bad fields at once', () => {
    const text = message({ face_limit: 500, seed: 1.5 });
    expect(text).toContain('Face limit must be');
    expect(text).toContain('Seed must be a whole number.');
  });

  it('treats missing options as none and rejects non-objects', () => {
    expect(validateOptions(tripoImageModel, undefined)).toEqual({ ok: true, options: {} });
    expect(validateOptions(tripoImageModel, null)).toEqual({ ok: true, options: {} });
    expect(message([1, 2])).toContain('must be a set of name/value pairs');
  });
});

describe('Tripo cost estimate', () => {
  it('follows the texture the job will really get', () => {
    expect(tripoImageModel.estimateCostUsd('draft', {})).toBe(0.2);
    expect(tripoImageModel.estimateCostUsd('standard', {})).toBe(0.3);
    expect(tripoImageModel.estimateCostUsd('high', {})).toBe(0.4);
    expect(tripoImageModel.estimateCostUsd('high', { texture: 'no' })).toBe(0.2);
    expect(tripoImageModel.estimateCostUsd('draft', { pbr: true })).toBe(0.3);
    expect(tripoMultiviewModel.estimateCostUsd('draft', { texture: 'HD' })).toBe(0.4);
  });
});
