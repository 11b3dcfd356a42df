// GLB checks before a model enters the library: a cheap structural check of the container and of what
// the file may make a reader allocate (glb-budgets.ts), then the Khronos validator, then the figures
// shown in the library (glb-stats.ts).
// Stats are read from the GLB's own JSON and BIN chunk: nothing here ever reads a file or the network.
import type { ValidationReport } from 'gltf-validator';
import type { ModelStats } from '../../shared/domain';
import { errorMessage as describe, isRecord } from '../util/errors';
import { checkDepths, textureDecodeProblem } from './glb-budgets';
import { dataProblem, withoutDataChunk } from './glb-data-checks';
import { dracoDecodeProblem, dracoGeometryProblem } from './glb-draco';
import { list, str } from './glb-json';
import { computeStats, embeddedImage, imageBytes } from './glb-stats';
import { isDamage, type ImageHeader } from './image-header';

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a; // 'JSON'
const CHUNK_BIN = 0x004e4942; // 'BIN\0'
const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

export type GlbHeaderResult = { ok: true; json: unknown } | { ok: false; reason: string };
export type GlbValidationResult =
  | { ok: true; stats: ModelStats }
  | { ok: false; reason: string; issues?: string[] };

type ParsedGlb = { ok: true; json: Record<string, unknown>; bin: Uint8Array | null } | { ok: false; reason: string };

function parseGlb(bytes: Uint8Array): ParsedGlb {
  if (bytes.byteLength < HEADER_BYTES) {
    return { ok: false, reason: `The file is too small to be a GLB (${bytes.byteLength} bytes)` };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== GLB_MAGIC) return { ok: false, reason: 'The file is not a GLB (missing glTF magic)' };
  const version = dv.getUint32(4, true);
  if (version !== 2) return { ok: false, reason: `The GLB is version ${version}; only glTF 2 is supported` };
  const declared = dv.getUint32(8, true);
  if (declared > bytes.byteLength) {
    return { ok: false, reason: `The GLB is truncated: header says ${declared} bytes, got ${bytes.byteLength}` };
  }
  if (declared < bytes.byteLength) {
    return { ok: false, reason: `The GLB has trailing data: header says ${declared} bytes, got ${bytes.byteLength}` };
  }

  if (bytes.byteLength < HEADER_BYTES + CHUNK_HEADER_BYTES) return { ok: false, reason: 'The GLB has no JSON chunk' };
  const jsonLength = dv.getUint32(12, true);
  if (dv.getUint32(16, true) !== CHUNK_JSON) return { ok: false, reason: 'The GLB does not start with a JSON chunk' };
  const jsonStart = HEADER_BYTES + CHUNK_HEADER_BYTES;
  if (jsonLength === 0 || jsonStart + jsonLength > bytes.byteLength) {
    return { ok: false, reason: `The GLB's JSON chunk length (${jsonLength} bytes) does not fit in the file` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(jsonStart, jsonStart + jsonLength)));
  } catch {
    return { ok: false, reason: "The GLB's JSON chunk is not valid JSON" };
  }
  if (!isRecord(json)) return { ok: false, reason: "The GLB's JSON chunk is not a glTF object" };
  const tooDeep = checkDepths(json);
  if (tooDeep) return { ok: false, reason: tooDeep };

  // Further chunks: the second may be BIN; unknown chunk types are allowed by the spec but must fit.
  let bin: Uint8Array | null = null;
  let at = jsonStart + jsonLength;
  while (at < bytes.byteLength) {
    if (at + CHUNK_HEADER_BYTES > bytes.byteLength) return { ok: false, reason: 'The GLB ends inside a chunk header' };
    const length = dv.getUint32(at, true);
    const type = dv.getUint32(at + 4, true);
    const start = at + CHUNK_HEADER_BYTES;
    if (start + length > bytes.byteLength) {
      return { ok: false, reason: `A GLB chunk (${length} bytes) runs past the end of the file` };
    }
    if (type === CHUNK_BIN && bin === null && at === jsonStart + jsonLength) bin = bytes.subarray(start, start + length);
    at = start + length;
  }
  const unreadable = embeddedDataProblem(json, bin) ?? dracoGeometryProblem(json, bin);
  if (unreadable) return { ok: false, reason: unreadable };
  return { ok: true, json, bin };
}

const FORMAT_NAMES: Record<ImageHeader['mimeType'], string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/ktx2': 'KTX2' };

/** A data: URI as every reader decodes it alike: base64 of the standard alphabet, nothing else. */
const CANONICAL_DATA_URI = /^data:[^,;]*(;[^,;]*)*;base64,[A-Za-z0-9+/]*={0,2}$/;

/**
 * Embedded data readers would take differently from the checks here. The validator only warns about
 * an image that is no PNG, JPEG, WebP or KTX2, and its size is then unknown (the texture budget counts
 * it as 0 x 0): an export's texture step (sharp) decodes whatever the bytes are - an SVG of 300 bytes
 * rendered at 16383 x 16383 pixels, a GIF or a TIFF. And a data: URI that is not plain base64 is read
 * one way by glTF-Transform (the text after the first comma), another by the browser (percent-decoded).
 */
function embeddedDataProblem(json: Record<string, unknown>, bin: Uint8Array | null): string | null {
  for (const [kind, items] of [['buffer', list(json.buffers)], ['image', list(json.images)]] as const) {
    for (const [i, item] of items.entries()) {
      const uri = isRecord(item) ? str(item.uri) : undefined;
      if (uri?.startsWith('data:') && !CANONICAL_DATA_URI.test(uri)) return `The GLB's ${kind} ${i} is a data: URI that is not plain base64`;
    }
  }
  for (const [i, image] of list(json.images).entries()) {
    const data = isRecord(image) ? imageBytes(json, bin, image) : null;
    // Data that cannot be found is the validator's to report (an export reads only checked files).
    if (!data || !isRecord(image)) continue;
    // Checked here for both paths: the validator does not see a plain model's BIN chunk (glb-data-checks).
    const read = embeddedImage(json, image, data);
    if (!read) return `The GLB's image ${i} is not a PNG, JPEG, WebP or KTX2 image`;
    if (isDamage(read)) return `The GLB's image ${i} is a damaged ${FORMAT_NAMES[read.mimeType]}: ${read.damage}`;
  }
  return null;
}

/** Structural check of the GLB container (magic, version, length, JSON chunk, chunk bounds). */
export function checkGlbHeader(bytes: Uint8Array): GlbHeaderResult {
  const parsed = parseGlb(bytes);
  return parsed.ok ? { ok: true, json: parsed.json } : parsed;
}

/**
 * Full validation: container check, then the Khronos validator (errors make the file invalid;
 * warnings do not) - of a plain model's JSON only, its data read by glb-data-checks - then stats.
 * External resources are always refused, never fetched.
 */
export async function validateGlb(bytes: Uint8Array): Promise<GlbValidationResult> {
  const parsed = parseGlb(bytes);
  if (!parsed.ok) return parsed;

  // Loaded on first use: the validator is ~0.2 s of start-up that commands which check no model
  // (the CLI's list, --help) should not pay (test/cli/startup-imports.test.ts).
  const { validateBytes } = await import('gltf-validator');
  // A plain model's vertex data is checked by glb-data-checks (linear, ~25x faster); the validator its JSON.
  const jsonOnly = withoutDataChunk(bytes, parsed.json, parsed.bin);
  let report: ValidationReport;
  try {
    report = await validateBytes(jsonOnly ?? bytes, {
      ...(jsonOnly ? { ignoredIssues: ['BUFFER_MISSING_GLB_DATA'] } : {}),
      format: 'glb',
      writeTimestamp: false,
      maxIssues: 100,
      externalResourceFunction: (uri) => Promise.reject(new Error(`external resource refused: ${uri}`)),
    });
  } catch (error) {
    return { ok: false, reason: `The GLB could not be validated: ${describe(error)}` };
  }

  const errors = report.issues.messages.filter((m) => m.severity === 0);
  if (errors.length > 0 || report.issues.numErrors > 0) {
    const issues = errors.map((m) => `${m.code}${m.pointer ? ` at ${m.pointer}` : ''}: ${m.message}`);
    const external = externalUrisOf(parsed.json);
    if (external.length > 0) {
      return {
        ok: false,
        reason: `The GLB refers to an external file (${external[0]}), which is not allowed: models must be self-contained`,
        issues,
      };
    }
    const first = errors[0]?.message ?? 'unknown error';
    const more = report.issues.numErrors > 1 ? ` (and ${report.issues.numErrors - 1} more errors)` : '';
    return { ok: false, reason: `The GLB is not valid glTF: ${first}${more}`, issues };
  }

  if (jsonOnly && parsed.bin) {
    let problem: string | null;
    try {
      problem = dataProblem(parsed.json, parsed.bin);
    } catch (error) {
      problem = `its data could not be read (${describe(error)})`;
    }
    if (problem) return { ok: false, reason: `The GLB is not valid glTF: ${problem}`, issues: [problem] };
  }
  const undecodable = await dracoDecodeProblem(parsed.json, parsed.bin);
  if (undecodable) return { ok: false, reason: undecodable };
  const stats = computeStats(parsed.json, parsed.bin, bytes.byteLength, report.info?.resources ?? []);
  const heavy = textureDecodeProblem(stats.textures);
  return heavy ? { ok: false, reason: heavy } : { ok: true, stats };
}

/** URIs of buffers and images that point outside the file (anything but data: URIs). */
export function externalUrisOf(json: unknown): string[] {
  if (!isRecord(json)) return [];
  const uris: string[] = [];
  for (const item of [...list(json.buffers), ...list(json.images)]) {
    const uri = isRecord(item) ? str(item.uri) : undefined;
    if (uri !== undefined && !uri.startsWith('data:')) uris.push(uri);
  }
  return uris;
}
