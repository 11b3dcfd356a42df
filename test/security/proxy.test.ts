// Where the FAL key goes: only to FAL's own hosts, or to a proxy the user confirmed outside the page.
// The probe from the security review: a page sets the proxy to a local listener and calls key:test;
// on fab0491 the listener received `Authorization: Key <key>`. Here it receives nothing at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHeadlessPlatform, type ProxyConfirmRequest } from '../../src/core/platform';
import { checkProxyUrl, isFalApiHost, keyGuardFetch, routeFromCommandLine } from '../../src/core/fal/key-guard';
import { decodeWire, encodeWire } from '../../src/shared/wire';
import { startWebApp, type WebApp } from '../../src/web-bridge/start';

const KEY = 'planted-key-id:PLANTEDSECRET0123456789';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let dir = '';
let listener: Server;
let listenerUrl = '';
let listenerSaw: Seen[] = [];
/** What went to FAL's own hosts (a stand-in for the network below the key guard). */
let falSaw: { url: string; authorization: string | null }[] = [];
let app: WebApp | null = null;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-proxy-'));
  listenerSaw = [];
  falSaw = [];
  listener = createServer((req, res) => {
    listenerSaw.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"not found"}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/fal`;
});

afterEach(async () => {
  await app?.close();
  app = null;
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Real network for loopback (the listener); FAL's hosts answer the price list (the key probe) and 404 otherwise. */
const network: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (isFalApiHost(url.hostname)) {
    falSaw.push({ url: url.href, authorization: new Headers(init?.headers).get('authorization') });
    if (url.pathname === '/v1/models/pricing') {
      return new Response('{"prices":[],"next_cursor":null,"has_more":false}', { status: 200, headers: { 'content-type': 'application/json' } });
    }
    return new Response('{"detail":"Request not found"}', { status: 404, headers: { 'content-type': 'application/json' } });
  }
  return fetch(input, init);
};

async function start(confirm?: (request: ProxyConfirmRequest) => boolean) {
  const asked: ProxyConfirmRequest[] = [];
  app = await startWebApp({
    dataDir: join(dir, 'data'),
    env: { FAL_KEY: KEY },
    fetch: network,
    platform: createHeadlessPlatform({
      confirmProxy: confirm
        ? (request) => {
            asked.push(request);
            return confirm(request);
          }
        : undefined,
    }),
  });
  const ws = new WebSocket(`${app.bridge.url.replace('http', 'ws')}/bridge?token=${app.bridge.token}`, { headers: { origin: app.bridge.origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = (channel: string, input?: unknown) =>
    new Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>((resolve) => {
      const id = nextId++;
      const onMessage = (data: WebSocket.RawData) => {
        const message = decodeWire(data.toString()) as { type: string; id?: number; result?: never };
        if (message.type === 'result' && message.id === id) {
          ws.off('message', onMessage);
          resolve(message.result!);
        }
      };
      ws.on('message', onMessage);
      ws.send(encodeWire({ type: 'call', id, channel, input }));
    });
  return { call, asked, close: () => ws.close() };
}

const authorizationsAtListener = () => listenerSaw.map((r) => r.headers.authorization ?? null);

describe('the page cannot move the key (browser transport)', () => {
  it('settings:set with a proxy is refused, and key:test sends nothing to that listener', async () => {
    const page = await start();
    const set = await page.call('settings:set', { falProxyUrl: listenerUrl });
    expect(set).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await page.call('key:test')).toMatchObject({ ok: true, data: { result: 'accepted' } });
    expect(listenerSaw).toEqual([]);
    // The key went where it belongs: FAL's own host (the key probe asks for the price list; the price book may too), over https.
    expect(falSaw.filter((r) => r.url.includes('/v1/models/pricing')).at(-1)).toEqual(expect.objectContaining({ authorization: `Key ${KEY}` }));
    for (const call of falSaw) expect(new URL(call.url).protocol).toBe('https:');
    page.close();
  });

  it('proxy:set without a way to confirm (no dialog) changes nothing', async () => {
    const page = await start();
    expect(await page.call('proxy:set', { url: listenerUrl, sendKey: true })).toMatchObject({ ok: true, data: { applied: false, proxy: { url: null } } });
    expect(await page.call('proxy:get')).toMatchObject({ ok: true, data: { url: null, sendKey: false } });
    await page.call('key:test');
    expect(listenerSaw).toEqual([]);
    page.close();
  });

  it('a proxy the user declines is not used', async () => {
    const page = await start(() => false);
    expect(await page.call('proxy:set', { url: listenerUrl, sendKey: false })).toMatchObject({ ok: true, data: { applied: false } });
    await page.call('key:test');
    expect(page.asked.map((r) => r.host)).toEqual([new URL(listenerUrl).host]);
    expect(listenerSaw).toEqual([]);
    page.close();
  });

  it('a confirmed proxy gets the calls but not the key, unless sending the key was confirmed too', async () => {
    const page = await start(() => true);
    expect(await page.call('proxy:set', { url: listenerUrl, sendKey: false })).toMatchObject({ ok: true, data: { applied: true, proxy: { url: listenerUrl, sendKey: false } } });
    // The proxy adds its own key, so key:test cannot check this one and calls nobody.
    expect(await page.call('key:test')).toMatchObject({ ok: true, data: { result: 'unchecked' } });
    await page.call('prices:refresh');
    expect(listenerSaw.length).toBeGreaterThan(0);
    expect(new Set(authorizationsAtListener())).toEqual(new Set([null]));
    const before = listenerSaw.length;

    expect(await page.call('proxy:set', { url: listenerUrl, sendKey: true })).toMatchObject({ ok: true, data: { applied: true, proxy: { sendKey: true } } });
    await page.call('key:test');
    expect(authorizationsAtListener().slice(before)).toEqual([`Key ${KEY}`]);
    expect(page.asked).toEqual([
      { url: listenerUrl, host: new URL(listenerUrl).host, sendKey: false },
      { url: listenerUrl, host: new URL(listenerUrl).host, sendKey: true },
    ]);
    page.close();
  });

  it('refuses plain http to another computer and addresses with credentials before asking', async () => {
    const page = await start(() => true);
    for (const url of ['http://proxy.example.com/fal', 'https://user:pw@proxy.example.com/', 'file:///etc/passwd', 'not a url']) {
      expect(await page.call('proxy:set', { url, sendKey: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(page.asked).toEqual([]);
    page.close();
  });

  it('a proxy left in the settings file from before is dropped at start, not used', async () => {
    const { createFileSettingsStore } = await import('../../src/core/settings/file-store');
    createFileSettingsStore(join(dir, 'data', 'settings.json')).set({ falProxyUrl: listenerUrl });
    const page = await start();
    expect(await page.call('settings:get')).toMatchObject({ ok: true, data: { falProxyUrl: null } });
    await page.call('key:test');
    expect(listenerSaw).toEqual([]);
    page.close();
  });
});

describe('key guard', () => {
  const recorded: { url: string; authorization: string | null }[] = [];
  const base: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
    recorded.push({ url, authorization: headers.get('authorization') });
    return new Response('ok');
  };
  const auth = { headers: { Authorization: `Key ${KEY}`, 'content-type': 'application/json' } };

  it('lets the key reach FAL hosts over https only', async () => {
    recorded.length = 0;
    const guarded = keyGuardFetch(base, () => ({ proxyUrl: null, sendKeyToProxy: false }));
    for (const url of ['https://queue.fal.run/x', 'https://rest.fal.ai/storage', 'https://api.fal.ai/v1', 'https://fal.run/a', 'https://rest.alpha.fal.ai/x']) await guarded(url, auth);
    for (const url of ['http://queue.fal.run/x', 'https://fal.ai.evil.example/x', 'https://evilfal.ai/x', 'https://v3.fal.media/files/x', 'http://127.0.0.1:9/x', 'https://user:pw@queue.fal.run/x']) {
      await guarded(url, auth);
    }
    await guarded(new Request('https://evil.example/x', auth));
    expect(recorded.map((r) => r.authorization !== null)).toEqual([true, true, true, true, true, false, false, false, false, false, false, false]);
  });

  it('sends the key to the proxy only when the route says so', async () => {
    recorded.length = 0;
    const route = { proxyUrl: 'https://proxy.example.com/fal', sendKeyToProxy: false };
    const guarded = keyGuardFetch(base, () => route);
    await guarded('https://proxy.example.com/fal', auth);
    route.sendKeyToProxy = true;
    await guarded('https://proxy.example.com/fal', auth);
    await guarded('https://proxy.example.com:8443/fal', auth);
    expect(recorded.map((r) => r.authorization)).toEqual([null, `Key ${KEY}`, null]);
  });

  it('checks proxy addresses', () => {
    expect(checkProxyUrl('https://proxy.example.com/fal').ok).toBe(true);
    expect(checkProxyUrl('http://localhost:8080').ok).toBe(true);
    expect(checkProxyUrl('http://[::1]:8080').ok).toBe(true);
    expect(checkProxyUrl('http://10.0.0.5:8080')).toMatchObject({ ok: false, problem: 'plain_http' });
    expect(checkProxyUrl('ftp://x')).toMatchObject({ ok: false, problem: 'scheme' });
  });

  it('command-line proxies: the key goes to a proxy on this computer, elsewhere only when asked', () => {
    expect(routeFromCommandLine('http://127.0.0.1:5000', {})).toEqual({ proxyUrl: 'http://127.0.0.1:5000/', sendKeyToProxy: true });
    expect(routeFromCommandLine('https://proxy.example.com', {})).toMatchObject({ sendKeyToProxy: false });
    expect(routeFromCommandLine('https://proxy.example.com', { IMAGE2MODEL_FAL_PROXY_SEND_KEY: '1' })).toMatchObject({ sendKeyToProxy: true });
    expect(routeFromCommandLine('http://127.0.0.1:5000', { IMAGE2MODEL_FAL_PROXY_SEND_KEY: '0' })).toMatchObject({ sendKeyToProxy: false });
    expect(() => routeFromCommandLine('http://proxy.example.com', {})).toThrow(/https/);
    expect(routeFromCommandLine(null, {})).toEqual({ proxyUrl: null, sendKeyToProxy: false });
  });
});
