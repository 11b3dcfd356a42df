// One life of the engine for the crash test: loads everything, waits for "go" on stdin (so the
// parent can pre-warm the next life while this one works), starts the engine against the shared
// data dir and fake FAL server, prints "ready", and works until it is killed. With `final` it waits
// for the queue to drain, closes cleanly and prints "idle".
import { createEngine } from '../../src/core/engine';
import { FAST_ENGINE } from '../support/fast-engine-timing';

const [dataDir, proxyUrl, mode] = process.argv.slice(2);
if (!dataDir || !proxyUrl) {
  process.stderr.write('usage: crash-child <dataDir> <proxyUrl> [final]\n');
  process.exit(2);
}
const final = mode === 'final';

async function waitForGo(): Promise<void> {
  let buffered = '';
  // The parent holds stdin open; if it goes away, so does this life (no orphans).
  process.stdin.on('end', () => process.exit(0));
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('go\n')) resolve();
    });
  });
}

await waitForGo();
const engine = createEngine({
  dataDir,
  getFalKey: () => 'crash-test-key-0123456789',
  falProxyUrl: proxyUrl,
  ...FAST_ENGINE,
  timing: {
    ...FAST_ENGINE.timing,
    // Only the final, clean start may treat every temp file as abandoned: during the run the
    // parent adds images concurrently (as the CLI would next to the app).
    ...(final ? { tempFileMinAgeMs: 0 } : {}),
  },
});
await engine.start();
process.stdout.write('ready\n');
if (final) {
  await engine.waitForIdle();
  await engine.close();
  process.stdout.write('idle\n');
  process.exit(0);
}
