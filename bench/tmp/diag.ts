import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/core/engine';
import { startFakeFal } from '../../test/fake-fal/server';
import { makeTestPng } from '../../test/fixtures/make-glb';
const fake = await startFakeFal({ processingMs: 100, concurrency: 16, glb: { triangles: 500, textureSize: 64 }, uniqueOutputs: false });
const dataDir = mkdtempSync(join(tmpdir(), 'i2m-diag-'));
const engine = createEngine({ dataDir, getFalKey: () => 'bench-key-0123456789', falProxyUrl: fake.url, concurrency: 1, timing: { tempFileMinAgeMs: 0 } });
const items = [];
for (let i = 0; i < 10; i++) items.push({ kind: 'bytes' as const, name: `d${i}.png`, bytes: new Uint8Array(await makeTestPng(32, 32, { seed: i + 1 })) });
await engine.addImages(items, {});
const clock = () => performance.timeOrigin + performance.now();
const marks = new Map<string, [string, number][]>();
engine.on('job', (j) => { const l = marks.get(j.id) ?? []; l.push([`${j.state}:${j.message}`, clock()]); marks.set(j.id, l); });
await engine.start();
await engine.waitForIdle();
for (const [id, list] of [...marks].slice(2, 5)) {
  const t0 = list[0]![1];
  console.log('---', id);
  const req = engine.getJob(id)!.falRequestId!;
  for (const [m, t] of list) console.log((t - t0).toFixed(1).padStart(8), m);
  for (const e of fake.events.filter((e) => e.requestId === req)) console.log((e.at - t0).toFixed(1).padStart(8), 'FAKE', e.type, e.message ?? '');
  for (const r of fake.requests.filter((r) => r.requestId === req || (r.op==='file'))) if (r.at - t0 > 0 && r.at - t0 < 2000) console.log((r.at - t0).toFixed(1).padStart(8), 'REQ', r.op, r.outcome);
}
await engine.close(); await fake.close();
