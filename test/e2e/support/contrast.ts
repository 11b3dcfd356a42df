// WCAG contrast between two computed CSS colours (rgb()/rgba() as getComputedStyle gives them).
export type Rgb = [number, number, number];

/** "rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)" -> [1, 2, 3, alpha]. */
export function parseRgb(css: string): [...Rgb, number] {
  const parts = /^rgba?\(([^)]+)\)$/.exec(css.trim())?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number);
  if (!parts || parts.length < 3 || parts.some(Number.isNaN)) throw new Error(`Not an rgb() colour: ${css}`);
  return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
