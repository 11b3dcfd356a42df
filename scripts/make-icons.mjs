#!/usr/bin/env node
// Draws the app icons from one small SVG (a cube on a rounded tile) with sharp. The outputs are
// committed; run again only when the design changes: `node scripts/make-icons.mjs`.
//   resources/icon.png       512x512: window icon (Linux) and the source electron-builder turns into
//                            .icns (macOS) and .ico (Windows)
//   resources/drag-icon.png  64x64: shown under the cursor while a model is dragged out of the app
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'resources');

function iconSvg({ tile }) {
  // An isometric cube: top, left and right faces in three shades.
  const cube = `
    <polygon points="256,112 388,188 256,264 124,188" fill="#8fd3ff"/>
    <polygon points="124,188 256,264 256,416 124,340" fill="#3a8fd9"/>
    <polygon points="388,188 256,264 256,416 388,340" fill="#1d5fa8"/>
    <polyline points="124,188 256,264 388,188" fill="none" stroke="#e9f6ff" stroke-width="6" stroke-linejoin="round"/>
    <line x1="256" y1="264" x2="256" y2="416" stroke="#e9f6ff" stroke-width="6"/>`;
  const background = tile
    ? `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2a2f3a"/><stop offset="1" stop-color="#14161a"/></linearGradient></defs>
       <rect x="16" y="16" width="480" height="480" rx="104" fill="url(#g)"/>`
    : '';
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">${background}${cube}</svg>`);
}

mkdirSync(out, { recursive: true });
const targets = [
  { file: 'icon.png', size: 512, tile: true },
  { file: 'drag-icon.png', size: 64, tile: false },
];
for (const { file, size, tile } of targets) {
  const info = await sharp(iconSvg({ tile }))
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true, effort: 10 })
    .toFile(join(out, file));
  console.log(`${file}: ${info.width}x${info.height}, ${info.size} bytes`);
}
