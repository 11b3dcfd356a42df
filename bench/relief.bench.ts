// How long "Relief (offline)" takes for a 2048 px image (target: under 2 s on the 2-core machine).
// Run: npx tsx bench/relief.bench.ts
import sharp from 'sharp';
import { generateRelief } from '../src/core/offline';

const SIDE = 2048;
const RUNS = 5;
const TARGET_MS = 2000;

/** A photo-like subject on a light backdrop, with grain so the JPEG is not trivially small. */
async function subjectPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">
    <defs><radialGradient id="g" cx="0.4" cy="0.35" r="0.7"><stop offset="0" stop-color="#e07050"/><stop offset="1" stop-color="#602010"/></radialGradient></defs>
    <rect width="${SIDE}" height="${SIDE}" fill="#f2f2ee"/>
    <ellipse cx="1024" cy="1150" rx="620" ry="700" fill="url(#g)"/>
    <rect x="880" y="260" width="290" height="300" rx="40" fill="#3a5a8a"/>
  </svg>`;
  const grain = await seededNoise(SIDE, SIDE, 110, 146).png().toBuffer();
  return sharp(Buffer.from(svg)).composite([{ input: grain, blend: 'overlay' }]).jpeg({ quality: 90 }).toBuffer();
}

/** The same subject cut out onto transparency (PNG with alpha, PNG texture). */
async function cutOut(photo: Buffer): Promise<Buffer> {
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">
    <ellipse cx="1024" cy="1150" rx="620" ry="700" fill="#fff"/><rect x="880" y="260" width="290" height="300" rx="40" fill="#fff"/></svg>`);
  return sharp(photo).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer();
}

/** A busy scene with no backdrop: the whole image becomes the relief. */
function busyScene(): Promise<Buffer> {
  return seededNoise(SIDE, SIDE, 0, 255).jpeg().toBuffer();
}

/** Raw RGB noise in low..high from a fixed seed, so every run measures the same pictures. */
function seededNoise(width: number, height: number, low: number, high: number) {
  const data = Buffer.alloc(width * height * 3);
  let seed = 2024;
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    data[i] = low + ((seed >>> 24) * (high - low)) / 255;
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

async function measure(label: string, image: Buffer): Promise<number> {
  await generateRelief(image); // warm-up: loads sharp's and gltf-transform's code paths
  const times: number[] = [];
  let last = { triangles: 0, vertices: 0, bytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const result = await generateRelief(image);
    times.push(performance.now() - start);
    last = { triangles: result.triangles, vertices: result.vertices, bytes: result.glb.byteLength };
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(34)} median ${median.toFixed(0).padStart(5)} ms  min ${times[0]!.toFixed(0).padStart(5)}  max ${times.at(-1)!.toFixed(0).padStart(5)}` +
      `  | ${last.triangles} tris, ${last.vertices} verts, GLB ${(last.bytes / 1024).toFixed(0)} KiB`,
  );
  return times.at(-1)!;
}

const photo = await subjectPhoto();
console.log(`Relief (offline), ${SIDE}x${SIDE} input, default options, ${RUNS} runs after a warm-up, target < ${TARGET_MS} ms`);
const worst = Math.max(
  await measure('JPEG, subject on a backdrop', photo),
  await measure('PNG with alpha (cut-out)', await cutOut(photo)),
  await measure('JPEG, busy scene (whole image)', await busyScene()),
);
console.log(`slowest single run: ${worst.toFixed(0)} ms -> ${worst < TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target`);
