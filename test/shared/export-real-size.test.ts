// An export's real size is bounded (0.1 mm to 1 km, in round numbers per unit): 1e-300 mm flattened
// the mesh to nothing (float32 coordinates underflow) and a billion-metre model is nobody's object.
// The zod boundary refuses it with a message that names the range allowed in the unit asked for.
import { describe, expect, it } from 'vitest';
import { ExportRecipeSchema, REAL_SIZE_RANGE, realSizeProblem, type LengthUnit } from '../../src/shared/export-recipe';

const recipe = (value: number, unit: LengthUnit) => ({ formats: ['glb'], realSize: { dimension: 'height', value, unit } });

describe('real size range', () => {
  it.each([
    [1e-300, 'mm', 'Real size must be from 0.1 to 1,000,000 mm (0.1 mm to 1 km).'],
    [0.05, 'mm', 'Real size must be from 0.1 to 1,000,000 mm (0.1 mm to 1 km).'],
    [5_000_000, 'mm', 'Real size must be from 0.1 to 1,000,000 mm (0.1 mm to 1 km).'],
    [1e6, 'm', 'Real size must be from 0.0001 to 1,000 m (0.1 mm to 1 km).'],
    [0.001, 'cm', 'Real size must be from 0.01 to 100,000 cm (0.1 mm to 1 km).'],
    [50_000, 'in', 'Real size must be from 0.004 to 40,000 in (0.1 mm to 1 km).'],
  ] as const)('refuses %s %s at the schema, saying which range is allowed', (value, unit, message) => {
    const parsed = ExportRecipeSchema.safeParse(recipe(value, unit));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([expect.objectContaining({ path: ['realSize', 'value'], message })]);
  });

  it('takes the ends of each range and everything between', () => {
    for (const [unit, { min, max }] of Object.entries(REAL_SIZE_RANGE) as [LengthUnit, { min: number; max: number }][]) {
      for (const value of [min, max, Math.sqrt(min * max)]) {
        expect(ExportRecipeSchema.safeParse(recipe(value, unit)).success, `${value} ${unit}`).toBe(true);
        expect(realSizeProblem({ value, unit })).toBeNull();
      }
    }
    // The ranges are the same lengths in every unit (to rounding).
    for (const { min, max } of Object.values(REAL_SIZE_RANGE)) expect(max / min).toBeGreaterThan(5e6);
  });

  it('refuses what is not a number at all', () => {
    expect(realSizeProblem({ value: Number.NaN, unit: 'cm' })).toMatch(/from 0.01 to 100,000 cm/);
    expect(ExportRecipeSchema.safeParse(recipe(Number.POSITIVE_INFINITY, 'm')).success).toBe(false);
  });
});
