// Lengths for the inspector: glTF lengths are metres; the user reads them in the unit they pick.
// No three.js here, so the compare table (in the start-up bundle) can format sizes too.
import type { LengthUnit } from './view-settings';

export const METRES_PER: Record<LengthUnit, number> = { mm: 0.001, cm: 0.01, m: 1, in: 0.0254 };

/** A length in metres shown in `unit` with about three significant figures ("12.5 cm", "1,250 mm"). */
export function formatLength(metres: number, unit: LengthUnit): string {
  const value = metres / METRES_PER[unit];
  const digits = value === 0 ? 0 : Math.max(0, Math.min(3, 2 - Math.floor(Math.log10(Math.abs(value)))));
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/** "12.5 × 30.0 × 8.20 cm": width × height × depth. */
export function formatSize(size: { x: number; y: number; z: number }, unit: LengthUnit): string {
  const [x, y, z] = [size.x, size.y, size.z].map((v) => formatLength(v, unit).replace(` ${unit}`, ''));
  return `${x} × ${y} × ${z} ${unit}`;
}

/** A round step (1, 2 or 5 x 10^n of `unit`, in metres) giving about 4 to 10 ticks over `metres`. */
export function tickStep(metres: number, unit: LengthUnit): number {
  const inUnit = metres / METRES_PER[unit];
  if (!(inUnit > 0)) return METRES_PER[unit];
  const power = 10 ** Math.floor(Math.log10(inUnit / 6));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => inUnit / s <= 10) ?? 10 * power;
  return step * METRES_PER[unit];
}
