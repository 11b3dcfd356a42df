// The relief's outline followed the mask's cell staircase, softened by one averaging pass: at any slope
// but 45 degrees the edge kept a sawtooth of little steps, plain to see in the viewer along a disc's rim
// or a slanted side. These tests read the outline back from the generated GLB (the front surface's open
// border) and measure it: how much it turns on a disc, how far it strays from a straight slanted side.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { generateRelief } from '../../../src/core/offline';
import { checkClosed, readGlb, weld } from './glb-inspect';
import { busyScene, cornerTouchingSquares, opaqueWithTransparentHole, subjectOnWhite, subjectTouchingFrame } from './images';

const SIDE = 640;
/** The grid has 160 cells along the long side, so one cell is 4 px of these 640 px images. */
const CELL_PX = SIDE / 160;

function png(shape: string): Promise<Buffer> {
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}"><rect width="${SIDE}" height="${SIDE}" fill="#ffffff"/>${shape}</svg>`))
    .png()
    .toBuffer();
}

/** The front (photo) surface: positions and triangles. */
async function frontOf(glb: Uint8Array) {
  const doc = await readGlb(glb);
  const front = doc
    .getRoot()
    .listMeshes()
    .flatMap((m) => m.listPrimitives())
    .find((p) => p.getAttribute('TEXCOORD_0') !== null)!;
  return { doc, position: front.getAttribute('POSITION')!.getArray()!, indices: front.getIndices()!.getArray()! };
}

/** The front surface's border loops (x, y in model units), each in order along the outline. */
async function outlineLoops(glb: Uint8Array): Promise<Array<Array<[number, number]>>> {
  const { position, indices } = await frontOf(glb);
  // Border edges are used by one triangle only; kept in their direction, so they chain head to tail.
  const count = new Map<string, number>();
  const directed: Array<[number, number]> = [];
  for (let t = 0; t < indices.length; t += 3) {
    for (const [a, b] of [[indices[t]!, indices[t + 1]!], [indices[t + 1]!, indices[t + 2]!], [indices[t + 2]!, indices[t]!]] as const) {
      const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
      count.set(key, (count.get(key) ?? 0) + 1);
      directed.push([a, b]);
    }
  }
  const next = new Map<number, number>();
  for (const [a, b] of directed) if (count.get(`${Math.min(a, b)}-${Math.max(a, b)}`) === 1) next.set(a, b);
  const loops: Array<Array<[number, number]>> = [];
  const seen = new Set<number>();
  for (const start of next.keys()) {
    if (seen.has(start)) continue;
    const loop: Array<[number, number]> = [];
    for (let v = start; !seen.has(v); v = next.get(v)!) {
      seen.add(v);
      loop.push([position[v * 3]!, position[v * 3 + 1]!]);
    }
    loops.push(loop);
  }
  return loops;
}

/** Turning angle (radians, signed) at each point of a closed loop. */
function turns(loop: Array<[number, number]>): number[] {
  return loop.map((p, i) => {
    const a = loop[(i + loop.length - 1) % loop.length]!;
    const b = loop[(i + 1) % loop.length]!;
    const inAngle = Math.atan2(p[1] - a[1], p[0] - a[0]);
    const outAngle = Math.atan2(b[1] - p[1], b[0] - p[0]);
    let turn = outAngle - inAngle;
    while (turn > Math.PI) turn -= 2 * Math.PI;
    while (turn < -Math.PI) turn += 2 * Math.PI;
    return turn;
  });
}

describe('relief outline', () => {
  it('goes round a disc turning one way only, about once, with no sawtooth', async () => {
    // Radius 240 px = 60 cells; the model is 1 unit tall, so a cell is 1/120 unit.
    const loops = await outlineLoops((await generateRelief(await png(`<circle cx="320" cy="320" r="240" fill="#c03020"/>`))).glb);
    expect(loops).toHaveLength(1);
    const t = turns(loops[0]!);
    const total = t.reduce((sum, x) => sum + x, 0);
    const absolute = t.reduce((sum, x) => sum + Math.abs(x), 0);
    // A closed convex curve turns 2 pi in all; each stair step adds a turn back and forth on top.
    expect(Math.abs(total)).toBeCloseTo(2 * Math.PI, 3);
    expect(absolute / (2 * Math.PI), `total absolute turning ${(absolute / Math.PI).toFixed(2)} pi`).toBeLessThan(1.1);
    const backwards = t.filter((x) => Math.sign(x) !== Math.sign(total) && Math.abs(x) > (2 * Math.PI) / 180).length;
    expect(backwards, 'points turning the wrong way by more than 2 degrees').toBe(0);
    const sharpest = Math.max(...t.map(Math.abs));
    expect((sharpest * 180) / Math.PI, 'sharpest turn on a 60-cell disc, degrees').toBeLessThan(15);
  });

  it('keeps a slanted straight side straight: no stair steps along it', async () => {
    // Top side from (80, 200) to (560, 80): one cell up every four across. The subject is 480 px tall.
    const shape = `<polygon points="80,200 560,80 560,440 80,560" fill="#2050c0"/>`;
    const loops = await outlineLoops((await generateRelief(await png(shape))).glb);
    expect(loops).toHaveLength(1);
    const cell = CELL_PX / 480; // model units
    // Model y is up from the subject's foot: the top side runs from y = 0.75 to 1.
    // The subject is 1 unit wide too, centred on x: its middle three fifths, away from the corners.
    const side = loops[0]!.filter(([x, y]) => x > -0.3 && x < 0.3 && y > 0.6);
    expect(side.length).toBeGreaterThan(40);
    const n = side.length;
    const mx = side.reduce((s, p) => s + p[0], 0) / n;
    const my = side.reduce((s, p) => s + p[1], 0) / n;
    const slope = side.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / side.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
    expect(slope).toBeCloseTo(0.25, 1);
    const strays = side.map(([x, y]) => Math.abs(y - my - slope * (x - mx)) / Math.hypot(1, slope) / cell);
    const worst = Math.max(...strays);
    expect(worst, `furthest point from the side's line, in cells`).toBeLessThan(0.12);
  });

  it('moves the outline without folding a front triangle over or opening the model, on every kind of input', async () => {
    const inputs = {
      disc: await subjectOnWhite(),
      hole: await opaqueWithTransparentHole(),
      busy: await busyScene(),
      corners: await cornerTouchingSquares(),
      frame: await subjectTouchingFrame(),
      duck: readFileSync('resources/samples/duck.jpg'),
    };
    for (const [name, image] of Object.entries(inputs)) {
      const { doc, position, indices } = await frontOf((await generateRelief(image)).glb);
      let folded = 0;
      for (let t = 0; t < indices.length; t += 3) {
        const [a, b, c] = [indices[t]! * 3, indices[t + 1]! * 3, indices[t + 2]! * 3];
        const facing = (position[b]! - position[a]!) * (position[c + 1]! - position[a + 1]!) - (position[b + 1]! - position[a + 1]!) * (position[c]! - position[a]!);
        if (!(facing > 0)) folded++;
      }
      expect(folded, `${name}: front triangles not facing the front`).toBe(0);
      expect(checkClosed(weld(doc)), name).toMatchObject({ badEdges: 0, badDirections: 0 });
    }
  });
});
