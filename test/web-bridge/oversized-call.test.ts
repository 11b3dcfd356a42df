// The browser transport with a call too large to carry (a drop of several big photos: base64 makes
// 200 MB of images 267 MB of text). The bridge's socket takes messages up to its limit and closes
// on a larger one (code 1009), so that call - and every other call waiting on the same socket - came
// back "Lost the connection to the app server", with nothing saying the request was too big. The
// page now refuses such a call itself with a clear answer, and the socket carries on.
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebApi } from '../../src/renderer/src/transport/web-api';
import { MAX_WIRE_MESSAGE_BYTES } from '../../src/shared/wire';
import { startBridge, type Bridge } from '../../src/web-bridge/server';

let bridge: Bridge | null = null;
const realWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
afterEach(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = realWebSocket;
  await bridge?.close();
  bridge = null;
});

it('a call larger than the bridge takes is answered "too large" and the other calls on the socket are answered as usual', async () => {
  const limit = 1024 * 1024;
  let sockets = 0;
  bridge = await startBridge({
    maxMessageBytes: limit,
    resolveFile: () => null,
    dispatch: async (channel, input) => {
      // jobs:list answers late: it is still waiting when the big call goes out.
      if (channel === 'jobs:list') await new Promise((resolve) => setTimeout(resolve, 300));
      return { ok: true, data: { channel, input: channel === 'jobs:add' ? 'bytes' : input } };
    },
  });
  const origin = bridge.origin;
  // The page's WebSocket, from its own origin (ws stands in for the browser's).
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      sockets++;
    }
  };
  const api = createWebApi(bridge.token, bridge.origin, { maxMessageBytes: limit }) as unknown as Record<string, (input?: unknown) => Promise<unknown>>;

  const waiting = api['jobs:list']!({});
  const big = await api['jobs:add']!({ items: [{ kind: 'bytes', name: 'big.png', bytes: new Uint8Array(limit) }] });
  expect(big).toMatchObject({ ok: false, error: { code: 'too_large', message: expect.stringMatching(/too large.*1 MB.*fewer or smaller images/s) } });
  expect(await waiting).toMatchObject({ ok: true, data: { channel: 'jobs:list' } });
  // A call that fits still goes through, on the same socket.
  expect(await api['jobs:add']!({ items: [{ kind: 'bytes', name: 'small.png', bytes: new Uint8Array(1000) }] })).toMatchObject({ ok: true });
  expect(sockets).toBe(1);
});

it('the page and the bridge use the same limit by default', async () => {
  expect(MAX_WIRE_MESSAGE_BYTES).toBe(256 * 1024 * 1024);
  bridge = await startBridge({ resolveFile: () => null, dispatch: async () => ({ ok: true, data: null }) });
  // One byte over the limit closes the socket with 1009 ("message too big"); the limit itself does not.
  const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/bridge?token=${bridge.token}`, { origin: bridge.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.on('error', () => undefined); // the rest of the message meets a closed socket
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  ws.send(Buffer.alloc(MAX_WIRE_MESSAGE_BYTES + 1, 0x20));
  expect(await closed).toBe(1009);
});
