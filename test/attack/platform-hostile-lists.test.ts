// FAL's platform lists (request history, prices, billing events) from a broken or hostile answer:
// - a page of a few hundred thousand entries (half a megabyte) failed every list with 'Maximum call
//   stack size exceeded' (the page was spread into push), a JavaScript error the reconciler and the
//   price refresh passed on as it was ('prices: Maximum call stack size exceeded');
// - one row nested a few hundred thousand levels deep failed the whole page the same way (the key
//   check turned each row into text), so the rows beside it that could be read were lost too;
// - pages that each stay under the answer cap but never end held every page in memory: 20 of them,
//   up to 1.3 GB in the app's main process.
// Now a page with more entries than any FAL list page holds is a bad answer, a row too deep to read is
// an unreadable row (the others count), and a list is read up to the answer cap over all its pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient, PlatformError } from '../../src/core/fal/platform-client';

const KEY = 'admin-key-0123456789';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A proxy that answers every call with `page(n)` (n counts from 0). Returns its URL. */
async function proxy(page: (n: number) => string): Promise<string> {
  let n = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(page(n++));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (url: string) => createPlatformClient({ key: KEY, proxyUrl: url, retries: 0, timeoutMs: 20_000 });
const failure = (promise: Promise<unknown>) => promise.then(
  () => null,
  (error: unknown) => error,
);

it('a page of 300,000 entries is a bad answer, not a stack overflow', async () => {
  const zeros = new Array(300_000).fill('0').join(',');
  const url = await proxy(() => `{"items":[${zeros}],"prices":[${zeros}],"billing_events":[${zeros}],"has_more":false}`);
  for (const call of [
    () => client(url).requests({ endpointId: TRIPO }),
    () => client(url).prices([TRIPO]),
    () => client(url).billingEvents({ requestIds: ['r1'] }),
  ]) {
    const error = await failure(call());
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ kind: 'bad_answer' });
  }
});

it('a row nested too deeply to read is an unreadable row; the row beside it is read', async () => {
  const depth = 300_000;
  const deep = `{"request_id":"019b2a3c-0000-7000-8000-000000000001","endpoint_id":"${TRIPO}","json_output":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
  const good = `{"request_id":"019b2a3c-0000-7000-8000-000000000002","endpoint_id":"${TRIPO}","sent_at":"2026-12-03T00:00:00Z","json_input":{"image_url":"https://x/a.png"}}`;
  const url = await proxy(() => `{"items":[${deep},${good}],"has_more":false}`);
  const history = await client(url).requests({ endpointId: TRIPO });
  expect(history.rows.map((row) => row.request_id)).toEqual(['019b2a3c-0000-7000-8000-000000000002']);
  expect(history.unreadable).toEqual([expect.objectContaining({ requestId: '019b2a3c-0000-7000-8000-000000000001', problem: expect.stringContaining('nested') })]);
});

it('pages that never end are read up to the answer cap in all, then given up as a bad answer', async () => {
  // 20 pages of 4 MB each (each well under the cap): 80 MB in all.
  const filler = 'x'.repeat(4 * 1024 * 1024);
  const url = await proxy((n) => `{"billing_events":[],"pad":"${filler}","next_cursor":"c${n + 1}","has_more":true}`);
  const error = await failure(client(url).billingEvents({ requestIds: ['r1'] }));
  expect(error).toBeInstanceOf(PlatformError);
  expect(error).toMatchObject({ kind: 'bad_answer', message: expect.stringMatching(/MiB/) });
}, 60_000);
