// The numbers a mesh writer is about to put in a file, checked first. Ingest refuses NaN in a model's
// accessors, but not node transforms whose product overflows (two nested scales of 1e200): baked into
// world space, such a model's vertices become Infinity and NaN, which no OBJ, STL, 3MF or USDZ reader
// takes. The export is refused, saying why, instead of writing a file that cannot be opened.
import { cutName } from '../../shared/text-cut';
import type { WorldMesh } from './world-mesh';

/** The largest finite float32: a binary STL stores each coordinate as one. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export class MeshNumbersError extends Error {
  override readonly name = 'MeshNumbersError';
}

/** Index of the first value whose scaled value is not finite or beyond ±max; -1 when all are fine. */
export function firstUnwritable(values: ArrayLike<number>, scale = 1, max = Number.MAX_VALUE): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! * scale;
    // !(|v| <= max) is also true for NaN.
    if (!(Math.abs(v) <= max)) return i;
  }
  return -1;
}

/**
 * What the user reads when `where` ("mesh \"chair\"", "the model") holds `value`, a number `format`
 * cannot write: not finite, or beyond ±max.
 */
export function unwritableMessage(format: string, where: string, what: string, value: number, max = Number.MAX_VALUE): string {
  const why = Number.isFinite(value) ? `beyond the largest number ${format} can store (about ${max.toPrecision(2)})` : 'that are not finite numbers';
  return (
    `The model cannot be written as ${format}: ${where} has ${what} ${why} once its node transforms are applied ` +
    '(a scale or offset far too large, or a damaged file). Nothing was written. Export it as GLB, which keeps the file as it is, or generate the model again.'
  );
}

/**
 * Throws MeshNumbersError when a mesh's positions (times `scale`, within ±max) or - where the format
 * writes them - its normals or texture coordinates are not all finite.
 */
export function checkMeshNumbers(
  meshes: readonly WorldMesh[],
  format: string,
  opts: { scale?: number; max?: number; normals?: boolean; uvs?: boolean } = {},
): void {
  const { scale = 1, max = Number.MAX_VALUE } = opts;
  for (const mesh of meshes) {
    const check = (values: ArrayLike<number> | null, what: string, s = 1, limit = Number.MAX_VALUE) => {
      const at = values ? firstUnwritable(values, s, limit) : -1;
      if (at >= 0) throw new MeshNumbersError(unwritableMessage(format, `mesh "${cutName(mesh.name, 80, 400)}"`, what, values![at]! * s, limit));
    };
    check(mesh.positions, 'vertex positions', scale, max);
    if (opts.normals) check(mesh.normals, 'normals');
    if (opts.uvs) check(mesh.uvs, 'texture coordinates');
  }
}
