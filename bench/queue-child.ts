// One engine process of the two-process queue bench: loads, prints "ready", starts on "go" (so both
// processes start together), works until the shared queue is empty, prints "idle <epoch ms>".
import { createEngine } from '../src/core/engine';

const [dataDir, proxyUrl, concurrencyText] = process.argv.slice(2);
if (!dataDir || !proxyUrl) {
  process.stderr.write('usage: queue-child <dataDir> <proxyUrl> <concurrency>\n');
  process.exit(2);
}
const engine = createEngine({
  dataDir,
  getFalKey: () => 'bench-key-0123456789',
  falProxyUrl: proxyUrl,
  concurrency: Number(concurrencyText ?? 4),
  timing: { tempFileMinAgeMs: 60_000 },
  glbWorker: { warmForFal: true }, // as the app runs it (app-core.ts)
});
process.stdin.on('end', () => process.exit(0)); // the bench went away
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const cpuAtGo = process.cpuUsage();
await engine.start();
await engine.waitForIdle();
const cpu = process.cpuUsage(cpuAtGo);
process.stdout.write(`idle ${performance.timeOrigin + performance.now()} ${(cpu.user + cpu.system) / 1000}\n`);
await engine.close();
process.exit(0);
