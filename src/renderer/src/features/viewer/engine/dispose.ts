// Frees everything a loaded model holds on the GPU and in memory: textures, then materials, then
// geometry (each shared object once). Skeleton bone textures and decoded ImageBitmaps go too.
import type { BufferGeometry, Material, Object3D, Texture } from 'three';

interface Drawable extends Object3D {
  geometry?: BufferGeometry;
  material?: Material | Material[];
  skeleton?: { dispose(): void };
}

function isTexture(value: unknown): value is Texture {
  return typeof value === 'object' && value !== null && (value as { isTexture?: boolean }).isTexture === true;
}

/** Textures a material refers to: its maps, and shader uniforms for custom materials. */
function texturesOf(material: Material, into: Set<Texture>): void {
  for (const value of Object.values(material)) if (isTexture(value)) into.add(value);
  const uniforms = (material as { uniforms?: Record<string, { value?: unknown }> }).uniforms;
  if (uniforms) for (const uniform of Object.values(uniforms)) if (isTexture(uniform.value)) into.add(uniform.value);
}

/** ImageBitmaps keep decoded pixels in memory until closed; the GPU copy is released by dispose(). */
function closeBitmap(texture: Texture): void {
  const data: unknown = texture.source?.data;
  if (typeof ImageBitmap !== 'undefined' && data instanceof ImageBitmap) data.close();
}

export function disposeObject(root: Object3D): void {
  root.removeFromParent();
  const geometries = new Set<BufferGeometry>();
  const materials = new Set<Material>();
  const textures = new Set<Texture>();
  root.traverse((object) => {
    const drawable = object as Drawable;
    if (drawable.geometry) geometries.add(drawable.geometry);
    const list = Array.isArray(drawable.material) ? drawable.material : drawable.material ? [drawable.material] : [];
    for (const material of list) materials.add(material);
    drawable.skeleton?.dispose();
  });
  for (const material of materials) texturesOf(material, textures);
  for (const texture of textures) {
    texture.dispose();
    closeBitmap(texture);
  }
  for (const material of materials) material.dispose();
  for (const geometry of geometries) geometry.dispose();
}
