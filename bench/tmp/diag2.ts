import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/core/engine';
import { startFakeFal } from '../../test/fake-fal/server';
import { makeTestPng } from '../../test/fixtures/make-glb';
const fake = await startFakeFal({ processingMs: 100, concurrency: 16, glb: { triangles: 500, textureSize: 64 }, uniqueOutputs: false });
const dataDir = mkdtempSync(join(tmpdir(), 'i2m-diag-'));
const engine = createEngine({ dataDir, getFalKey: () => 'bench-key-0123456789', falProxyUrl: fake.url, concurrency: Number(process.env.C ?? 8), timing: { tempFileMinAgeMs: 0 } });
const items = [];
for (let i = 0; i < Number(process.env.N ?? 200); i++) items.push({ kind: 'bytes' as const, name: `d${i}.png`, bytes: new Uint8Array(await makeTestPng(32, 32, { seed: i + 1 })) });
await engine.addImages(items, {});
const clock = () => performance.timeOrigin + performance.now();
const marks = new Map<string, Map<string, number>>();
engine.on('job', (j) => { const m = marks.get(j.id) ?? new Map(); const k = `${j.state}:${j.message}`; if (!m.has(k)) m.set(k, clock()); marks.set(j.id, m); });
const t0 = clock();
await engine.start();
await engine.waitForIdle();
console.log('total', ((clock() - t0) / 1000).toFixed(2));
const sums = new Map<string, number[]>();
for (const [id, m] of marks) {
  const list = [...m];
  const req = engine.getJob(id)!.falRequestId!;
  const fakeEv = fake.events.filter((e) => e.requestId === req);
  const all = [...list, ...fakeEv.filter(e=>e.type!=='log').map((e) => [`FAKE ${e.type}`, e.at] as [string, number])].sort((a, b) => a[1] - b[1]);
  for (let i = 1; i < all.length; i++) { const k = `${all[i-1]![0].slice(0,30)} -> ${all[i]![0].slice(0,30)}`; const arr = sums.get(k) ?? []; arr.push(all[i]![1] - all[i-1]![1]); sums.set(k, arr); }
}
for (const [k, arr] of [...sums].sort((a,b)=>b[1].length-a[1].length).slice(0, 25)) { arr.sort((a,b)=>a-b); console.log(String(arr.length).padStart(4), 'median', arr[arr.length>>1]!.toFixed(1).padStart(7), 'p90', arr[Math.floor(arr.length*0.9)]!.toFixed(1).padStart(7), k); }
const rows = [...marks].map(([id, m]) => {
  const req = engine.getJob(id)!.falRequestId!;
  const get = (pre: string) => [...m].find(([k]) => k.startsWith(pre))?.[1] ?? NaN;
  const ev = (t: string) => fake.events.find((e) => e.requestId === req && e.type === t)?.at ?? NaN;
  return { prep: get('preparing'), sub: ev('submitted'), start: ev('started'), done: ev('completed'), ok: get('succeeded') };
}).sort((a, b) => a.prep - b.prep);
const med = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s[s.length >> 1]!.toFixed(1); };
console.log('claim->fal submitted', med(rows.map((r) => r.sub - r.prep)));
console.log('fal started->completed', med(rows.map((r) => r.done - r.start)));
console.log('fal completed->succeeded', med(rows.map((r) => r.ok - r.done)));
console.log('overhead', med(rows.map((r) => r.ok - r.prep - (r.done - r.start))));
console.log('gap succeeded->next claim', med(rows.slice(1).map((r, i) => r.prep - rows[i]!.ok)));
await engine.close(); await fake.close();
