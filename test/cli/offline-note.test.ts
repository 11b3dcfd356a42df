// While FAL cannot be reached, the CLI says so once - not again at every probe (one every 5 s) - and
// again only when that changes: here, when FAL can be reached again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work: string;
let fake: FakeFal | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-offline-'));
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A loopback port nothing listens on (connections are refused: offline). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('offline, "Can\'t reach FAL" is printed once, not at every probe; coming back is said once too', async () => {
  const photo = join(work, 'photo.jpg');
  writeFileSync(photo, await makeTestJpeg(320, 240, { seed: 9 }));
  const port = await closedPort();
  const lines: string[] = [];
  let offlineSince = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const result = await runCli(['convert', photo, '--model', 'fal-ai/trellis', '--out', join(work, 'out'), '--data-dir', join(work, 'data'), '--fal-proxy', `http://127.0.0.1:${port}`], {
    env: { FAL_KEY: 'cli-test-key-123456' },
    onLine: (line) => {
      lines.push(line);
      if (/reach FAL/.test(line) && !offlineSince) offlineSince = Date.now();
    },
    // Three probes (one every 5 s) after the first notice, then FAL answers on that port.
    onSpawn: () => {
      timer = setInterval(() => {
        if (offlineSince && Date.now() - offlineSince > 16_000 && !fake) {
          clearInterval(timer);
          void startFakeFal({ port, processingMs: 300 }).then((started) => (fake = started));
        }
      }, 250);
    },
  });
  clearInterval(timer);
  expect(fake).toBeDefined();
  expect(result.code).toBe(0);
  // The queue's notice once, and the job's own line while it waits - not on every probe, nor on the job's
  // later lines once the connection is back (its last error stayed on them).
  expect(lines.filter((line) => /reach FAL/.test(line)).sort()).toEqual([
    expect.stringMatching(/^Can't reach FAL/),
    expect.stringMatching(/^photo\.jpg: queued - Can't reach FAL/),
  ]);
  expect(lines.filter((line) => line === 'FAL can be reached again.')).toHaveLength(1);
  expect(lines.at(-1)).toMatch(/^1 succeeded/);
}, 120_000);
