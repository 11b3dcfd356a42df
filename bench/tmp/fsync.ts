import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/core/library/files';
import { validateGlb } from '../../src/core/library/glb';
import { makeTestGlb } from '../../test/fixtures/make-glb';
const dir = mkdtempSync(join(tmpdir(), 'fs-'));
const data = new Uint8Array(200_000);
for (let i = 0; i < 5; i++) { const t = performance.now(); await writeFileAtomic(join(dir, `f${i}`), data); console.log('atomic write', (performance.now() - t).toFixed(1)); }
const glb = await makeTestGlb({ triangles: 500, textureSize: 64 });
for (let i = 0; i < 5; i++) { const t = performance.now(); await validateGlb(glb); console.log('validate', (performance.now() - t).toFixed(1)); }
const glb2 = await makeTestGlb({});
console.log('default glb bytes', glb2.length);
for (let i = 0; i < 3; i++) { const t = performance.now(); await validateGlb(glb2); console.log('validate default', (performance.now() - t).toFixed(1)); }
