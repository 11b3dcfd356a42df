import sharp from 'sharp';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { generateRelief } from '../src/core/offline';
const require = createRequire(import.meta.url);
const validator = require('gltf-validator') as { validateBytes(b: Uint8Array, o?: object): Promise<any> };

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="600" height="400" fill="white"/><circle cx="300" cy="200" r="120" fill="#c03020"/><rect x="260" y="40" width="80" height="60" fill="#2050c0"/></svg>`;
const png = await sharp(Buffer.from(svg)).jpeg().toBuffer();
const t = performance.now();
const r = await generateRelief(png, { onProgress: (f, m) => console.log(f, m) });
console.log('ms', performance.now() - t, r.triangles, r.vertices, r.glb.length);
writeFileSync('/tmp/relief.glb', r.glb);
const report = await validator.validateBytes(r.glb);
console.log(JSON.stringify(report.issues, null, 1).slice(0, 3000));
console.log(JSON.stringify(report.info, null, 1));
