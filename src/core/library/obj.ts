// OBJ + MTL (+ the texture images the materials use) from world-space meshes.
import type { Material, Texture } from '@gltf-transform/core';
import type { ConvertedFile } from './convert';
import { checkMeshNumbers, MeshNumbersError, unwritableMessage } from './mesh-numbers';
import type { WorldMesh } from './world-mesh';

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/ktx2': 'ktx2',
};

/**
 * The stem of the files an OBJ names inside it (its MTL, the MTL's textures): OBJ and MTL readers
 * split their lines on whitespace (`mtllib Garden gnome.mtl` is two libraries, neither there) and
 * take `#` for a comment, so those become `_` (Garden_gnome.mtl). The OBJ keeps the name asked for.
 */
export function objCompanionStem(base: string): string {
  return base.replace(/[\s#]+/g, '_');
}

/**
 * The files of an OBJ made for stem `from`, for stem `to` (`chair-2` when `chair.obj` exists): the
 * companions' names and the OBJ's and MTL's references to them change together, so chair-2.obj
 * never reads chair.mtl - another export's material library.
 */
export function restemObjFiles<T extends { name: string; data: Uint8Array }>(files: readonly T[], from: string, to: string): T[] {
  const [fromStem, toStem] = [objCompanionStem(from), objCompanionStem(to)];
  const references = new RegExp(`^((?:mtllib|map_Kd|map_Bump|norm|map_Ke) )${fromStem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[._])`, 'gm');
  return files.map((file) => {
    let { name, data } = file;
    if (name.endsWith('.obj') || name.endsWith('.mtl')) {
      data = new TextEncoder().encode(new TextDecoder().decode(data).replace(references, (_match, keyword: string) => `${keyword}${toStem}`));
    }
    if (name.startsWith(from)) name = to + name.slice(from.length);
    else if (name.startsWith(fromStem)) name = toStem + name.slice(fromStem.length);
    return { ...file, name, data };
  });
}

/** `scale` converts metres to the file's unit. */
export function writeObj(meshes: readonly WorldMesh[], base: string, scale = 1): ConvertedFile[] {
  checkMeshNumbers(meshes, 'OBJ', { scale, normals: true, uvs: true });
  const companion = objCompanionStem(base);
  const materialNames = new Map<Material, string>();
  const usedNames = new Set<string>();
  for (const { material } of meshes) {
    if (!material || materialNames.has(material)) continue;
    const stem = safeName(material.getName()) || `material${materialNames.size}`;
    let name = stem;
    for (let i = 1; usedNames.has(name); i++) name = `${stem}_${i}`;
    usedNames.add(name);
    materialNames.set(material, name);
  }

  const lines: string[] = ['# Exported by Image2Model'];
  if (materialNames.size > 0) lines.push(`mtllib ${companion}.mtl`);
  let vBase = 1;
  let vtBase = 1;
  let vnBase = 1;
  for (const mesh of meshes) {
    const { positions, normals, uvs, triangles } = mesh;
    const count = positions.length / 3;
    lines.push(`o ${safeName(mesh.name) || 'mesh'}`);
    for (let i = 0; i < count; i++) lines.push(`v ${num(positions[i * 3]! * scale)} ${num(positions[i * 3 + 1]! * scale)} ${num(positions[i * 3 + 2]! * scale)}`);
    // OBJ's v axis points up, glTF's down.
    if (uvs) for (let i = 0; i < count; i++) lines.push(`vt ${num(uvs[i * 2]!)} ${num(1 - uvs[i * 2 + 1]!)}`);
    if (normals) for (let i = 0; i < count; i++) lines.push(`vn ${num(normals[i * 3]!)} ${num(normals[i * 3 + 1]!)} ${num(normals[i * 3 + 2]!)}`);
    const materialName = mesh.material ? materialNames.get(mesh.material) : undefined;
    if (materialName) lines.push(`usemtl ${materialName}`);
    const ref = (i: number) => {
      const v = vBase + i;
      if (uvs && normals) return `${v}/${vtBase + i}/${vnBase + i}`;
      if (uvs) return `${v}/${vtBase + i}`;
      if (normals) return `${v}//${vnBase + i}`;
      return `${v}`;
    };
    for (let t = 0; t < triangles.length; t += 3) {
      lines.push(`f ${ref(triangles[t]!)} ${ref(triangles[t + 1]!)} ${ref(triangles[t + 2]!)}`);
    }
    vBase += count;
    if (uvs) vtBase += count;
    if (normals) vnBase += count;
  }
  const encoder = new TextEncoder();
  const files: ConvertedFile[] = [{ name: `${base}.obj`, data: encoder.encode(lines.join('\n') + '\n') }];
  if (materialNames.size > 0) {
    const { mtl, textures } = writeMtl(materialNames, companion);
    files.push({ name: `${companion}.mtl`, data: encoder.encode(mtl) }, ...textures);
  }
  return files;
}

function writeMtl(materialNames: ReadonlyMap<Material, string>, base: string): { mtl: string; textures: ConvertedFile[] } {
  const textureFiles = new Map<Texture, string>();
  const textures: ConvertedFile[] = [];
  const fileFor = (texture: Texture | null): string | null => {
    const image = texture?.getImage();
    if (!texture || !image) return null;
    const known = textureFiles.get(texture);
    if (known) return known;
    const name = `${base}_texture${textureFiles.size}.${IMAGE_EXTENSIONS[texture.getMimeType()] ?? 'bin'}`;
    textureFiles.set(texture, name);
    textures.push({ name, data: image });
    return name;
  };

  const lines: string[] = ['# Exported by Image2Model'];
  for (const [material, name] of materialNames) {
    const [r = 1, g = 1, b = 1, a = 1] = material.getBaseColorFactor();
    const [er = 0, eg = 0, eb = 0] = material.getEmissiveFactor();
    lines.push('', `newmtl ${name}`, `Kd ${num(r)} ${num(g)} ${num(b)}`, 'Ka 0 0 0', 'Ks 0 0 0', `Ke ${num(er)} ${num(eg)} ${num(eb)}`);
    lines.push(`d ${num(a)}`, 'illum 1');
    // PBR extension of MTL (read by Blender and others).
    lines.push(`Pr ${num(material.getRoughnessFactor())}`, `Pm ${num(material.getMetallicFactor())}`);
    const baseColor = fileFor(material.getBaseColorTexture());
    if (baseColor) lines.push(`map_Kd ${baseColor}`);
    const normalMap = fileFor(material.getNormalTexture());
    if (normalMap) lines.push(`map_Bump ${normalMap}`, `norm ${normalMap}`);
    const emissive = fileFor(material.getEmissiveTexture());
    if (emissive) lines.push(`map_Ke ${emissive}`);
  }
  return { mtl: lines.join('\n') + '\n', textures };
}

function num(x: number): string {
  // Checked before writing (checkMeshNumbers; material factors come from JSON): never "NaN" in a file.
  if (!Number.isFinite(x)) throw new MeshNumbersError(unwritableMessage('OBJ', 'the model', 'values', x));
  // Fixed notation (no exponents, which some OBJ readers reject), trailing zeros trimmed. toFixed
  // writes 1e21 and beyond as "1e+21"; numbers that large are whole, and BigInt writes them in full.
  if (Math.abs(x) >= 1e21) return BigInt(x).toString();
  const s = x.toFixed(6);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A name safe as a file name and as an OBJ/MTL token (no spaces, no path separators). */
export function safeName(name: string): string {
  return Array.from(name.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^[._]+|_+$/g, '')).slice(0, 64).join('');
}
