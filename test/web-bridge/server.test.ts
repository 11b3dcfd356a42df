// The browser transport: token and origin checks, framing of bytes, results and events.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, allowBridgeInCsp, type Bridge } from '../../src/web-bridge/server';
import { decodeWire, encodeWire } from '../../src/shared/wire';

let bridge: Bridge | null = null;
afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

async function start() {
  const calls: { channel: string; input: unknown }[] = [];
  bridge = await startBridge({
    dispatch: async (channel, input) => {
      calls.push({ channel, input });
      return { ok: true, data: { echoed: input } };
    },
    resolveFile: () => null,
  });
  return { bridge, calls };
}

function connect(b: Bridge, opts: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/bridge?token=${opts.token ?? b.token}`, {
      headers: { origin: opts.origin ?? b.origin },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

const nextMessage = (ws: WebSocket) => new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(decodeWire(d.toString()))));

describe('web bridge', () => {
  it('listens on loopback only', async () => {
    const { bridge } = await start();
    expect(new URL(bridge.url).hostname).toBe('127.0.0.1');
  });

  it('refuses a socket without the run token or from another origin', async () => {
    const { bridge } = await start();
    await expect(connect(bridge, { token: 'wrong' })).rejects.toThrow(/403/);
    await expect(connect(bridge, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('round-trips a call with binary input and answers with its id', async () => {
    const { bridge, calls } = await start();
    const ws = await connect(bridge);
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    ws.send(encodeWire({ type: 'call', id: 7, channel: 'jobs:add', input: { items: [{ kind: 'bytes', name: 'a.png', bytes }] } }));
    const reply = (await nextMessage(ws)) as { type: string; id: number; result: { ok: boolean; data: { echoed: { items: { bytes: Uint8Array }[] } } } };
    expect(reply.type).toBe('result');
    expect(reply.id).toBe(7);
    expect(calls[0]!.channel).toBe('jobs:add');
    const received = (calls[0]!.input as { items: { bytes: Uint8Array }[] }).items[0]!.bytes;
    expect(received).toBeInstanceOf(Uint8Array);
    expect([...received]).toEqual([...bytes]);
    expect([...reply.result.data.echoed.items[0]!.bytes]).toEqual([...bytes]);
    ws.close();
  });

  it('ignores malformed frames and keeps serving', async () => {
    const { bridge } = await start();
    const ws = await connect(bridge);
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'call', id: 'x' }));
    ws.send(encodeWire({ type: 'call', id: 1, channel: 'app:info', input: undefined }));
    const reply = (await nextMessage(ws)) as { id: number };
    expect(reply.id).toBe(1);
    ws.close();
  });

  it('broadcasts events to connected pages', async () => {
    const { bridge } = await start();
    const ws = await connect(bridge);
    const message = nextMessage(ws);
    bridge.emit('library:changed', { kind: 'added', id: 'm1' });
    await expect(message).resolves.toEqual({ type: 'event', event: 'library:changed', payload: { kind: 'added', id: 'm1' } });
    ws.close();
  });

  it('serves files only with the token and only for known routes', async () => {
    bridge = await startBridge({
      dispatch: async () => ({ ok: true, data: null }),
      resolveFile: (route) => (route === 'model/abc' ? { path: new URL(import.meta.url).pathname, mime: 'text/plain' } : null),
    });
    expect((await fetch(`${bridge.fileBaseUrl}model/abc`)).status).toBe(200);
    expect((await fetch(`${bridge.url}/files/wrong/model/abc`)).status).toBe(403);
    expect((await fetch(`${bridge.fileBaseUrl}model/zzz`)).status).toBe(404);
  });

  it('adds exactly its own socket origin to the page CSP', () => {
    const html = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self' i2m:; img-src 'self'">`;
    expect(allowBridgeInCsp(html, 'http://127.0.0.1:5555')).toContain("connect-src 'self' i2m: ws://127.0.0.1:5555;");
  });
});
