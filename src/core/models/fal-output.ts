// Reading FAL outputs: File objects `{url, content_type?, file_name?, file_size?}` in named fields.
// Tolerant of extra fields and of Files carrying only a url; strict about actually finding a GLB.
import type { FalFileRef } from './types';
import { isRecord } from '../util/errors';

export type ParsedOutput = { glb: FalFileRef; preview: FalFileRef | null } | { error: string };

/** A FAL File (or, leniently, a bare URL string) as a FalFileRef; null when there is no usable url. */
export function toFileRef(value: unknown): FalFileRef | null {
  if (typeof value === 'string') return value.trim() ? { url: value.trim() } : null;
  if (!isRecord(value) || typeof value.url !== 'string' || !value.url.trim()) return null;
  const ref: FalFileRef = { url: value.url.trim() };
  if (typeof value.content_type === 'string' && value.content_type) ref.contentType = value.content_type;
  if (typeof value.file_name === 'string' && value.file_name) ref.fileName = value.file_name;
  if (typeof value.file_size === 'number' && Number.isFinite(value.file_size) && value.file_size >= 0) {
    ref.fileSize = value.file_size;
  }
  return ref;
}

const OTHER_MODEL_EXTENSIONS = new Set(['fbx', 'obj', 'usdz', 'stl', 'zip', 'gltf', 'ply', 'mtl']);
const OTHER_MODEL_TYPES = ['application/zip', 'model/obj', 'model/stl', 'model/vnd.usdz+zip', 'model/gltf+json', 'model/fbx'];

function extensionOf(name: string): string | null {
  const path = name.split(/[?#]/)[0] ?? '';
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * The format a File clearly is when it is not GLB (e.g. 'FBX'), or null when it is GLB or unknown
 * (unknown passes: the download is validated as GLB anyway before it enters the library).
 */
export function otherFormatOf(ref: FalFileRef): string | null {
  const type = ref.contentType?.toLowerCase().split(';')[0]?.trim();
  if (type && OTHER_MODEL_TYPES.includes(type)) return type;
  for (const name of [ref.fileName, ref.url]) {
    const ext = name ? extensionOf(name) : null;
    if (ext === 'glb') return null;
    if (ext && OTHER_MODEL_EXTENSIONS.has(ext)) return ext.toUpperCase();
  }
  return null;
}

/**
 * Finds the GLB in the first of `glbFields` holding a File with a url that is not another format,
 * and the preview image in `previewField` when given and present.
 */
export function parseFalOutput(
  output: unknown,
  modelLabel: string,
  glbFields: readonly string[],
  previewField?: string,
): ParsedOutput {
  if (!isRecord(output)) {
    return { error: `${modelLabel} sent back an answer that is not an object (${typeof output}), so no model file could be found.` };
  }
  const skipped: string[] = [];
  for (const field of glbFields) {
    const ref = toFileRef(output[field]);
    if (!ref) continue;
    const other = otherFormatOf(ref);
    if (other) {
      skipped.push(`${field} holds ${other}`);
      continue;
    }
    const preview = previewField ? toFileRef(output[previewField]) : null;
    return { glb: ref, preview };
  }
  const looked = glbFields.join(', ');
  if (skipped.length > 0) {
    return { error: `${modelLabel} finished but returned no GLB file (${skipped.join('; ')}).` };
  }
  return { error: `${modelLabel} finished but its answer has no model file with a URL (looked in ${looked}).` };
}
