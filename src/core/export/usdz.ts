// USDZ for iOS AR Quick Look, written in Node so the CLI and the app make the same file: a text
// .usda scene (meshes + UsdPreviewSurface materials, modelled on three's USDZExporter) and its PNG/JPEG
// textures in a 64-byte aligned, uncompressed zip.
import type { Material, Texture } from '@gltf-transform/core';
import sharp from 'sharp';
import { METRES_PER_UNIT, type LengthUnit } from '../../shared/export-recipe';
import { checkMeshNumbers, FLOAT32_MAX } from '../library/mesh-numbers';
import type { WorldMesh } from '../library/world-mesh';
import { zipUsdz, type ZipEntry } from './zip';

const f = (x: number) => (Math.abs(x) < 1e-12 ? '0' : Number(x.toPrecision(7)).toString());

/** Quick Look reads PNG and JPEG only; anything else (WebP) is re-encoded as PNG. */
async function textureFile(texture: Texture, name: string): Promise<ZipEntry | null> {
  const image = texture.getImage();
  if (!image) return null;
  const mime = texture.getMimeType();
  if (mime === 'image/png') return { name: `${name}.png`, data: image };
  if (mime === 'image/jpeg') return { name: `${name}.jpg`, data: image };
  return { name: `${name}.png`, data: new Uint8Array(await sharp(image).png().toBuffer()) };
}

function meshPrim(mesh: WorldMesh, index: number, scale: number, materialPath: string | null): string {
  const { positions, normals, uvs, triangles } = mesh;
  const count = positions.length / 3;
  const vec3 = (a: ArrayLike<number>, s: number) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(`(${f(a[i * 3]! * s)}, ${f(a[i * 3 + 1]! * s)}, ${f(a[i * 3 + 2]! * s)})`);
    return out.join(', ');
  };
  const lines = [
    `\t\tdef Mesh "Mesh_${index}" (`,
    '\t\t\tprepend apiSchemas = ["MaterialBindingAPI"]',
    '\t\t)',
    '\t\t{',
    `\t\t\tint[] faceVertexCounts = [${new Array<string>(triangles.length / 3).fill('3').join(', ')}]`,
    `\t\t\tint[] faceVertexIndices = [${Array.from(triangles).join(', ')}]`,
    `\t\t\tpoint3f[] points = [${vec3(positions, scale)}]`,
  ];
  if (normals) lines.push(`\t\t\tnormal3f[] normals = [${vec3(normals, 1)}] (`, '\t\t\t\tinterpolation = "vertex"', '\t\t\t)');
  if (uvs) {
    const st: string[] = [];
    // USD's t axis points up, glTF's v down.
    for (let i = 0; i < count; i++) st.push(`(${f(uvs[i * 2]!)}, ${f(1 - uvs[i * 2 + 1]!)})`);
    lines.push(`\t\t\ttexCoord2f[] primvars:st = [${st.join(', ')}] (`, '\t\t\t\tinterpolation = "vertex"', '\t\t\t)');
  }
  if (materialPath) lines.push(`\t\t\trel material:binding = <${materialPath}>`);
  lines.push('\t\t\tuniform token subdivisionScheme = "none"', '\t\t}');
  return lines.join('\n');
}

function materialPrim(material: Material, name: string, texturePath: string | null): string {
  const [r = 1, g = 1, b = 1, a = 1] = material.getBaseColorFactor();
  const path = `/Root/Materials/${name}`;
  const lines = [
    `\t\tdef Material "${name}"`,
    '\t\t{',
    `\t\t\ttoken outputs:surface.connect = <${path}/PreviewSurface.outputs:surface>`,
    '\t\t\tdef Shader "PreviewSurface"',
    '\t\t\t{',
    '\t\t\t\tuniform token info:id = "UsdPreviewSurface"',
    texturePath
      ? `\t\t\t\tcolor3f inputs:diffuseColor.connect = <${path}/BaseColor.outputs:rgb>`
      : `\t\t\t\tcolor3f inputs:diffuseColor = (${f(r)}, ${f(g)}, ${f(b)})`,
    `\t\t\t\tfloat inputs:metallic = ${f(material.getMetallicFactor())}`,
    `\t\t\t\tfloat inputs:roughness = ${f(material.getRoughnessFactor())}`,
    `\t\t\t\tfloat inputs:opacity = ${f(a)}`,
    '\t\t\t\ttoken outputs:surface',
    '\t\t\t}',
  ];
  if (texturePath) {
    lines.push(
      '\t\t\tdef Shader "StReader"',
      '\t\t\t{',
      '\t\t\t\tuniform token info:id = "UsdPrimvarReader_float2"',
      '\t\t\t\tstring inputs:varname = "st"',
      '\t\t\t\tfloat2 outputs:result',
      '\t\t\t}',
      '\t\t\tdef Shader "BaseColor"',
      '\t\t\t{',
      '\t\t\t\tuniform token info:id = "UsdUVTexture"',
      `\t\t\t\tasset inputs:file = @${texturePath}@`,
      `\t\t\t\tfloat2 inputs:st.connect = <${path}/StReader.outputs:result>`,
      `\t\t\t\tfloat4 inputs:scale = (${f(r)}, ${f(g)}, ${f(b)}, ${f(a)})`,
      '\t\t\t\ttoken inputs:sourceColorSpace = "sRGB"',
      '\t\t\t\ttoken inputs:wrapS = "repeat"',
      '\t\t\t\ttoken inputs:wrapT = "repeat"',
      '\t\t\t\tfloat3 outputs:rgb',
      '\t\t\t}',
    );
  }
  lines.push('\t\t}');
  return lines.join('\n');
}

/** The meshes are in metres with the recipe's up axis already applied. */
export async function writeUsdz(meshes: readonly WorldMesh[], opts: { unit: LengthUnit; upAxis: 'y' | 'z' }): Promise<Uint8Array> {
  const scale = 1 / METRES_PER_UNIT[opts.unit];
  // point3f is a float32: beyond its range a coordinate would be read as inf.
  checkMeshNumbers(meshes, 'USDZ', { scale, max: FLOAT32_MAX, normals: true, uvs: true });
  const materialNames = new Map<Material, string>();
  const textures: ZipEntry[] = [];
  const materialPrims: string[] = [];
  for (const { material } of meshes) {
    if (!material || materialNames.has(material)) continue;
    const name = `Material_${materialNames.size}`;
    materialNames.set(material, name);
    const baseColor = material.getBaseColorTexture();
    const file = baseColor ? await textureFile(baseColor, `textures/${name}_baseColor`) : null;
    if (file) textures.push(file);
    materialPrims.push(materialPrim(material, name, file?.name ?? null));
  }
  const meshPrims = meshes.map((mesh, i) => {
    const name = mesh.material ? materialNames.get(mesh.material) : undefined;
    return meshPrim(mesh, i, scale, name ? `/Root/Materials/${name}` : null);
  });
  const usda = [
    '#usda 1.0',
    '(',
    '\tcustomLayerData = {',
    '\t\tstring creator = "Image2Model"',
    '\t}',
    '\tdefaultPrim = "Root"',
    `\tmetersPerUnit = ${f(METRES_PER_UNIT[opts.unit])}`,
    `\tupAxis = "${opts.upAxis.toUpperCase()}"`,
    ')',
    '',
    'def Xform "Root" (',
    '\tkind = "component"',
    ')',
    '{',
    '\tdef Scope "Geometry"',
    '\t{',
    ...meshPrims,
    '\t}',
    '\tdef Scope "Materials"',
    '\t{',
    ...materialPrims,
    '\t}',
    '}',
    '',
  ].join('\n');
  return zipUsdz([{ name: 'model.usda', data: new TextEncoder().encode(usda) }, ...textures]);
}
