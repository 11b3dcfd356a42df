// What this machine allows the queue bench's "1,000 jobs at concurrency 8" (queue.bench.ts, section 2)
// before any engine work: a bare client that does only FAL's protocol - upload the image, submit, follow
// the status stream, fetch the result, download the model and preview into memory - through the same
// @fal-ai/client, fetch and fake FAL process (sharing this machine's cores, as in that bench), with no
// database, no files, no checks and no events. Eight loops, each sending its next job as soon as FAL
// finished the last (its image uploaded meanwhile, as the engine does): the fastest a slot can turn around here. Same ideal,
// same fake settings and same slot turnaround (on the fake's clock) as queue.bench.ts; but done here is the last model
// in memory (queue.bench.ts: in the library), and the time starts with the images already in hand (there: at the drop,
// the engine preparing them) - a floor, not the same figure.
// Run: npx tsx bench/protocol-floor.bench.ts   (BENCH_JOBS, BENCH_PROCESSING_MS as there)
import { performance } from 'node:perf_hooks';
import { loadavg, cpus } from 'node:os';
import { createFal } from '../src/core/fal/client';
import { nodeFetch } from '../src/core/fal/node-fetch';
import { DEFAULT_MODEL_ID, getModel } from '../src/core/models/catalog';
import { makeTestPng } from '../test/fixtures/make-glb';
import { BENCH_MODEL, FakeTimes, slotTurnarounds, startFakeFalProcess } from './fake-fal-process';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const PROCESSING_MS = Number(process.env.BENCH_PROCESSING_MS ?? 100);
const CONCURRENCY = 8;

async function main(): Promise<void> {
  console.log(`protocol floor: ${JOBS} jobs at concurrency ${CONCURRENCY}, fake FAL processing ${PROCESSING_MS} ms, Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
  const fake = await startFakeFalProcess({ processingMs: PROCESSING_MS, concurrency: CONCURRENCY, glb: BENCH_MODEL, uniqueOutputs: 'stamped' });
  const model = getModel(DEFAULT_MODEL_ID)!;
  const fal = createFal({ key: 'bench-key-0123456789', proxyUrl: fake.url });
  const images: Blob[] = [];
  for (let i = 0; i < JOBS; i++) images.push(new Blob([new Uint8Array(await makeTestPng(32, 32, { seed: i + 1 }))], { type: 'image/png' }));
  let next = 0;
  let bytes = 0;
  const requestIds: string[] = [];
  const fetchBytes = async (url: string) => {
    const body = await (await nodeFetch(url)).arrayBuffer();
    bytes += body.byteLength;
  };
  // Like the engine, a loop uploads its next image while FAL works on its current job.
  const take = () => (next < JOBS ? fal.storage.upload(images[next++]!) : null);
  const loop = async () => {
    for (let upload = take(); upload; ) {
      const url = await upload;
      const input = model.buildInput({ urls: [url] }, 'draft', {});
      const { request_id: requestId } = await fal.queue.submit(model.id, { input });
      requestIds.push(requestId);
      upload = take();
      const stream = await fal.queue.streamStatus(model.id, { requestId, logs: true });
      await stream.done();
      // The slot is free: the next job goes out while this one's result is fetched.
      collecting.push(collect(requestId));
    }
  };
  const collecting: Promise<void>[] = [];
  const collect = async (requestId: string) => {
    const result = await fal.queue.result(model.id, { requestId });
    const parsed = model.parseOutput(result.data);
    if ('error' in parsed) throw new Error(parsed.error);
    await Promise.all([fetchBytes(parsed.glb.url), parsed.preview ? fetchBytes(parsed.preview.url) : null]);
  };
  const cpu0 = process.cpuUsage();
  const fakeCpu0 = fake.cpuMs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  await Promise.all(collecting);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const fakeCpu1 = fake.cpuMs();
  // A slot's turnaround as queue.bench.ts measures it: on the fake's clock, from a job completed at
  // FAL to the next one submitted there (it includes noticing the completion and the submit's trip).
  const turnaround = slotTurnarounds(new FakeTimes(await fake.events()), requestIds, CONCURRENCY).sort((a, b) => a - b);
  await fake.close();
  const ideal = (JOBS / CONCURRENCY) * (PROCESSING_MS / 1000);
  console.log(
    `   ${seconds.toFixed(2)} s (ideal ${ideal.toFixed(2)} s, ratio ${(seconds / ideal).toFixed(2)}); ${(bytes / JOBS / 1024).toFixed(0)} KiB downloaded per job\n` +
      `   client CPU per job ${((cpu.user + cpu.system) / 1000 / JOBS).toFixed(1)} ms` +
      (fakeCpu0 !== null && fakeCpu1 !== null ? `, the fake FAL's ${((fakeCpu1 - fakeCpu0) / JOBS).toFixed(1)} ms` : '') +
      `; a slot's time besides FAL's processing: completed at FAL -> the next job submitted there median ${turnaround[turnaround.length >> 1]!.toFixed(1)} ms p95 ${turnaround[Math.floor(turnaround.length * 0.95)]!.toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
