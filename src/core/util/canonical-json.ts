// Deterministic JSON for comparing settings: two option objects that differ only in key order (or in
// keys set to undefined) give the same string, so a duplicate job is recognised as one.
/** JSON with sorted keys, so equal options give equal strings (duplicate detection). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value ?? {}));
}
