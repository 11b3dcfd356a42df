// The fake FAL server in its own process for the queue bench: FAL's work (serving uploads, the queue,
// status streams, results and model files) runs on FAL's machines, so it must not share the engine's
// thread or be counted in its CPU. Prints "url <base url>"; stops on SIGTERM or when the bench's
// stdin closes. Read its events through GET /_fake/state.
import { startFakeFal } from '../test/fake-fal/server';

const processingMs = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 16);
const fake = await startFakeFal({
  processingMs,
  latencyMs: 0,
  concurrency,
  glb: { triangles: 500, textureSize: 64 },
  uniqueOutputs: false,
});
const stop = () => void fake.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`url ${fake.url}\n`);
