// Loose readers for a GLB's JSON, which is untrusted until the validator has run (glb.ts and its
// budget and stats modules).
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
export function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Components per element of each glTF accessor type. */
export const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
