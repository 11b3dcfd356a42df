// The platform API's answers are read whole before they are checked: one that does not end (a broken
// or hostile proxy, a runaway page) must not be read into memory until the timeout - on loopback that
// was hundreds of megabytes a call, in the app's main process. It is read up to PLATFORM_ANSWER_MAX_BYTES
// and then given up, as a bad answer; the queue calls' own cap is node-fetch.ts's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient, PLATFORM_ANSWER_MAX_BYTES, PlatformError } from '../../../src/core/fal/platform-client';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A proxy whose answer never ends: '{"billing_events":[' and then events forever. Tells how much it wrote. */
async function endlessProxy(): Promise<{ url: string; written: () => number }> {
  let written = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.from('{"request_id":"x","endpoint_id":"e","timestamp":"2026-12-03T00:00:00Z"},'.repeat(1024));
    res.write('{"billing_events":[');
    const pump = () => {
      while (!res.destroyed) {
        written += chunk.byteLength;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.on('close', () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, written: () => written };
}

it('an answer that does not end is read up to the cap and given up as a bad answer', async () => {
  const proxy = await endlessProxy();
  const client = createPlatformClient({ key: 'admin-key-0123456789', proxyUrl: proxy.url, retries: 0, timeoutMs: 8_000 });
  const started = Date.now();
  const error = await client.billingEvents({ requestIds: ['r1'] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PlatformError);
  expect(error).toMatchObject({ kind: 'bad_answer', message: expect.stringMatching(/larger than \d+ MiB/) });
  // Given up at the cap (what the sockets held besides), not read on until the timeout.
  expect(proxy.written()).toBeLessThan(PLATFORM_ANSWER_MAX_BYTES + 32 * 1024 * 1024);
  expect(Date.now() - started).toBeLessThan(8_000);
}, 30_000);
