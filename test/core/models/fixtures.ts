// FAL outputs shaped like the endpoints' documented answers, built small and by hand.
export const file = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  content_type: 'model/gltf-binary',
  file_name: url.split('/').pop(),
  file_size: 1234,
  ...extra,
});

export const tripoOutput = {
  task_id: 'task-1',
  model_mesh: file('https://fal.media/files/x/model.glb'),
  base_model: file('https://fal.media/files/x/base.glb'),
  pbr_model: file('https://fal.media/files/x/pbr.glb'),
  rendered_image: { url: 'https://fal.media/files/x/preview.png', content_type: 'image/png' },
  timings: { inference: 55.2 },
  some_future_field: { nested: true },
};

export const trellisOutput = {
  model_mesh: file('https://fal.media/files/t/mesh.glb'),
  timings: { prepare: 0.1, generation: 9.3, export: 2.1 },
};

export const hunyuanOutput = {
  model_glb: file('https://fal.media/files/h/white_mesh.glb'),
  model_glb_pbr: file('https://fal.media/files/h/textured_mesh_pbr.glb'),
  model_mesh: file('https://fal.media/files/h/assets.zip', { content_type: 'application/zip' }),
  seed: 42,
};

export const rodinOutput = {
  model_mesh: file('https://fal.media/files/r/base_basic_pbr.glb'),
  seed: 1234,
  textures: [{ url: 'https://fal.media/files/r/texture.png', content_type: 'image/png' }],
};
