// Renders the sample photos that ship with the app ("Try a sample" on an empty Create page) into
// resources/samples/<id>.jpg. Everything is drawn here, by a small ray marcher over signed distance
// fields: a few toy-like objects, lit from the upper left, on a plain backdrop (the case the offline
// generator handles best). No photo or third-party artwork is involved. Re-run after changing a shape:
//   node scripts/make-samples.mjs
// The ids and titles the app shows live in src/shared/samples.ts; a test checks both agree.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const SIZE = 768;
/** Samples per pixel along each axis (4 rays a pixel keeps the outlines smooth). */
const SUPERSAMPLE = 2;
const BACKDROP = [236, 233, 227];
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'samples');

// ---- small vector helpers (plain arrays, no allocation-heavy classes) ----
const len3 = (x, y, z) => Math.sqrt(x * x + y * y + z * z);
const len2 = (x, y) => Math.sqrt(x * x + y * y);
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const mix = (a, b, t) => a + (b - a) * t;

function sphere(x, y, z, cx, cy, cz, r) {
  return len3(x - cx, y - cy, z - cz) - r;
}
/** Ellipsoid (a good-enough bound, as in Inigo Quilez's notes). */
function ellipsoid(x, y, z, cx, cy, cz, rx, ry, rz) {
  const px = (x - cx) / rx;
  const py = (y - cy) / ry;
  const pz = (z - cz) / rz;
  const k0 = len3(px, py, pz);
  const k1 = len3(px / rx, py / ry, pz / rz);
  return k1 === 0 ? -Math.min(rx, ry, rz) : (k0 * (k0 - 1)) / k1;
}
function roundBox(x, y, z, cx, cy, cz, hx, hy, hz, r) {
  const qx = Math.abs(x - cx) - hx + r;
  const qy = Math.abs(y - cy) - hy + r;
  const qz = Math.abs(z - cz) - hz + r;
  return len3(Math.max(qx, 0), Math.max(qy, 0), Math.max(qz, 0)) + Math.min(Math.max(qx, qy, qz), 0) - r;
}
function capsule(x, y, z, ax, ay, az, bx, by, bz, r) {
  const pax = x - ax, pay = y - ay, paz = z - az;
  const bax = bx - ax, bay = by - ay, baz = bz - az;
  const h = clamp((pax * bax + pay * bay + paz * baz) / (bax * bax + bay * bay + baz * baz), 0, 1);
  return len3(pax - bax * h, pay - bay * h, paz - baz * h) - r;
}
/** Smooth union: blends two surfaces over a width k. */
function smin(a, b, k) {
  const h = clamp(0.5 + (0.5 * (b - a)) / k, 0, 1);
  return mix(b, a, h) - k * h * (1 - h);
}

// Each scene returns [distance, material]; materials are [r, g, b, shininess, specular strength].
const SCENES = {
  vase: {
    materials: [[46, 128, 140, 60, 0.55], [230, 224, 210, 30, 0.3]],
    sdf(x, y, z) {
      // A glazed vase: a body of revolution with a belly, a neck and a flared lip.
      const t = clamp((y + 1) / 2, 0, 1); // 0 at the foot, 1 at the lip
      const profile = 0.34 + 0.32 * Math.sin(Math.PI * Math.min(1, t * 1.25)) ** 1.3 - 0.18 * t + 0.16 * Math.max(0, t - 0.86) * 6;
      const body = Math.max((len2(x, z) - profile) * 0.6, Math.abs(y) - 1);
      const foot = roundBox(x, y, z, 0, -1.02, 0, 0.34, 0.05, 0.34, 0.04);
      const footRound = Math.max(len2(x, z) - 0.36, Math.abs(y + 1.02) - 0.05);
      const base = Math.max(foot, footRound);
      return base < body ? [base, 1] : [body, 0];
    },
  },
  duck: {
    materials: [[244, 196, 48, 40, 0.45], [238, 120, 36, 40, 0.4], [24, 24, 28, 90, 0.9]],
    sdf(x, y, z) {
      // A bath-toy duck: body and head blended, a beak and two eyes.
      const body = ellipsoid(x, y, z, -0.1, -0.45, 0, 0.95, 0.55, 0.65);
      const tail = ellipsoid(x, y, z, -0.9, -0.2, 0, 0.3, 0.22, 0.3);
      const head = sphere(x, y, z, 0.42, 0.42, 0, 0.44);
      const duck = smin(smin(body, tail, 0.3), head, 0.25);
      const beak = ellipsoid(x, y, z, 0.9, 0.33, 0, 0.28, 0.1, 0.2);
      const eye = Math.min(sphere(x, y, z, 0.62, 0.58, 0.3, 0.075), sphere(x, y, z, 0.62, 0.58, -0.3, 0.075));
      let best = [duck, 0];
      if (beak < best[0]) best = [beak, 1];
      if (eye < best[0]) best = [eye, 2];
      return best;
    },
  },
  apple: {
    materials: [[196, 32, 38, 70, 0.7], [96, 62, 36, 10, 0.1], [72, 150, 52, 30, 0.3]],
    sdf(x, y, z) {
      // An apple: a slightly squashed sphere with a dimple on top, a stem and a leaf.
      const r = len2(x, z);
      const dimple = 0.22 * Math.exp(-(r * r) / 0.05);
      const fruit = (ellipsoid(x, y + dimple * (y > 0 ? 1 : -0.4), z, 0, -0.15, 0, 0.85, 0.78, 0.85)) * 0.85;
      const stem = capsule(x, y, z, 0, 0.45, 0, 0.08, 0.95, 0, 0.045);
      const leaf = ellipsoid(x, y, z, 0.32, 0.82, 0.05, 0.3, 0.05, 0.14);
      let best = [fruit, 0];
      if (stem < best[0]) best = [stem, 1];
      if (leaf < best[0]) best = [leaf, 2];
      return best;
    },
  },
  robot: {
    materials: [[88, 128, 214, 50, 0.5], [226, 228, 232, 60, 0.5], [250, 190, 60, 80, 0.8], [30, 32, 38, 80, 0.8]],
    sdf(x, y, z) {
      // A toy robot: a body, a head with two eyes, arms, legs and an antenna with a ball.
      const body = roundBox(x, y, z, 0, -0.25, 0, 0.48, 0.42, 0.32, 0.1);
      const head = roundBox(x, y, z, 0, 0.5, 0, 0.36, 0.26, 0.28, 0.09);
      const arms = Math.min(capsule(x, y, z, -0.56, -0.05, 0, -0.68, -0.5, 0, 0.09), capsule(x, y, z, 0.56, -0.05, 0, 0.68, -0.5, 0, 0.09));
      const legs = Math.min(roundBox(x, y, z, -0.22, -0.88, 0, 0.13, 0.22, 0.16, 0.06), roundBox(x, y, z, 0.22, -0.88, 0, 0.13, 0.22, 0.16, 0.06));
      const antenna = capsule(x, y, z, 0, 0.74, 0, 0, 0.98, 0, 0.025);
      const bulb = sphere(x, y, z, 0, 1.02, 0, 0.08);
      const eyes = Math.min(sphere(x, y, z, -0.14, 0.53, 0.27, 0.075), sphere(x, y, z, 0.14, 0.53, 0.27, 0.075));
      const panel = roundBox(x, y, z, 0, -0.22, 0.3, 0.25, 0.17, 0.04, 0.03);
      let best = [Math.min(body, legs), 0];
      if (head < best[0]) best = [head, 1];
      if (arms < best[0]) best = [arms, 1];
      if (panel < best[0]) best = [panel, 1];
      if (antenna < best[0]) best = [antenna, 3];
      if (bulb < best[0]) best = [bulb, 2];
      if (eyes < best[0]) best = [eyes, 3];
      return best;
    },
  },
};

// Camera on +z, a little above, looking at the origin.
const CAMERA = [0, 0.35, 4.6];
const FOCAL = 3.1;
// Key light from the upper left front, a cool fill from the right, a rim from behind.
const KEY = normalize([-0.55, 0.7, 0.55]);
const FILL = normalize([0.8, 0.1, 0.5]);
const RIM = normalize([0.2, 0.5, -0.85]);

function normalize([x, y, z]) {
  const l = len3(x, y, z);
  return [x / l, y / l, z / l];
}

function normalAt(scene, x, y, z) {
  const e = 0.0015;
  return normalize([
    scene.sdf(x + e, y, z)[0] - scene.sdf(x - e, y, z)[0],
    scene.sdf(x, y + e, z)[0] - scene.sdf(x, y - e, z)[0],
    scene.sdf(x, y, z + e)[0] - scene.sdf(x, y, z - e)[0],
  ]);
}

/** Soft shadow towards the key light (1 = fully lit). */
function softShadow(scene, x, y, z, [lx, ly, lz]) {
  let shade = 1;
  let t = 0.02;
  for (let i = 0; i < 40 && t < 3; i++) {
    const d = scene.sdf(x + lx * t, y + ly * t, z + lz * t)[0];
    if (d < 0.0005) return 0.25;
    shade = Math.min(shade, (10 * d) / t);
    t += clamp(d, 0.01, 0.2);
  }
  return 0.25 + 0.75 * clamp(shade, 0, 1);
}

/** Cheap ambient occlusion from a few steps along the normal. */
function occlusion(scene, x, y, z, [nx, ny, nz]) {
  let occ = 0;
  let weight = 1;
  for (let i = 1; i <= 5; i++) {
    const h = 0.03 * i;
    occ += (h - scene.sdf(x + nx * h, y + ny * h, z + nz * h)[0]) * weight;
    weight *= 0.75;
  }
  return clamp(1 - 2.5 * occ, 0.35, 1);
}

function shade(scene, dx, dy, dz) {
  let t = 0;
  for (let i = 0; i < 160 && t < 9; i++) {
    const x = CAMERA[0] + dx * t;
    const y = CAMERA[1] + dy * t;
    const z = CAMERA[2] + dz * t;
    const [d, material] = scene.sdf(x, y, z);
    if (d < 0.0008) {
      const n = normalAt(scene, x, y, z);
      const [r, g, b, shininess, specular] = scene.materials[material];
      const lit = (dir) => Math.max(0, n[0] * dir[0] + n[1] * dir[1] + n[2] * dir[2]);
      const shadow = softShadow(scene, x + n[0] * 0.004, y + n[1] * 0.004, z + n[2] * 0.004, KEY);
      const ao = occlusion(scene, x, y, z, n);
      const diffuse = 1.0 * lit(KEY) * shadow + 0.28 * lit(FILL) + 0.22 * lit(RIM) + 0.22 * ao;
      // Blinn-Phong highlight of the key light.
      const half = normalize([KEY[0] - dx, KEY[1] - dy, KEY[2] - dz]);
      const spec = specular * shadow * Math.max(0, n[0] * half[0] + n[1] * half[1] + n[2] * half[2]) ** shininess;
      const tone = (c) => clamp((c / 255) * diffuse * ao + spec, 0, 1);
      return [tone(r), tone(g), tone(b), 1];
    }
    t += d * 0.9;
  }
  return [BACKDROP[0] / 255, BACKDROP[1] / 255, BACKDROP[2] / 255, 0];
}

function render(scene) {
  const pixels = Buffer.alloc(SIZE * SIZE * 3);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const u = ((px + (sx + 0.5) / SUPERSAMPLE) / SIZE) * 2 - 1;
          const v = 1 - ((py + (sy + 0.5) / SUPERSAMPLE) / SIZE) * 2;
          // Look slightly down at the origin.
          const [dx, dy, dz] = normalize([u, v - 0.075 * FOCAL, -FOCAL]);
          const [cr, cg, cb] = shade(scene, dx, dy, dz);
          r += cr;
          g += cg;
          b += cb;
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const i = (py * SIZE + px) * 3;
      // Display gamma-ish curve on the lit colour.
      pixels[i] = Math.round(255 * (r / n) ** 0.92);
      pixels[i + 1] = Math.round(255 * (g / n) ** 0.92);
      pixels[i + 2] = Math.round(255 * (b / n) ** 0.92);
    }
  }
  return pixels;
}

mkdirSync(OUT_DIR, { recursive: true });
for (const [id, scene] of Object.entries(SCENES)) {
  const started = Date.now();
  const file = join(OUT_DIR, `${id}.jpg`);
  const info = await sharp(render(scene), { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .jpeg({ quality: 86, mozjpeg: true })
    .toFile(file);
  console.log(`${file}: ${info.width}x${info.height}, ${(info.size / 1024).toFixed(0)} KB in ${Date.now() - started} ms`);
}
