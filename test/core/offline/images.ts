// Test images drawn with sharp from SVG at test time.
import sharp from 'sharp';

/** A red disc with a blue block on top, on a white backdrop. The subject spans x 180..420, y 40..320 of 600x400. */
export const SUBJECT_BOX = { left: 180, top: 40, right: 420, bottom: 320, width: 600, height: 400 };

export function subjectOnWhite(format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">
    <rect width="600" height="400" fill="#ffffff"/>
    <circle cx="300" cy="200" r="120" fill="#c03020"/>
    <rect x="260" y="40" width="80" height="60" fill="#2050c0"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  return (format === 'jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toBuffer();
}

/** 300x300, one flat grey everywhere (so only alpha can tell), opaque but for a transparent disc of radius 60 in the middle. */
export function opaqueWithTransparentHole(): Promise<Buffer> {
  const size = 300;
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inHole = Math.hypot(x + 0.5 - 150, y + 0.5 - 150) < 60;
      data.set([128, 128, 128, inHole ? 0 : 255], (y * size + x) * 4);
    }
  }
  return sharp(data, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

/** Busy, seeded noise everywhere: no plain backdrop to find. */
export function busyScene(width = 320, height = 240): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; // LCG, so every run sees the same picture
    data[i] = seed >>> 24;
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Two squares touching only at one corner (a pinch the mesher must not turn into a non-manifold edge), on white. */
export function cornerTouchingSquares(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" shape-rendering="crispEdges">
    <rect width="160" height="160" fill="#ffffff"/>
    <rect x="20" y="20" width="60" height="60" fill="#103070"/>
    <rect x="80" y="80" width="60" height="60" fill="#107030"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A subject cut off by the bottom edge of the frame. */
export function subjectTouchingFrame(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
    <rect width="400" height="300" fill="#f4f4f4"/>
    <ellipse cx="200" cy="300" rx="120" ry="200" fill="#335577"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}
