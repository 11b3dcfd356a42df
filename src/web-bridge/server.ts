// The browser transport: serves the renderer and the same handlers over a loopback WebSocket, so the
// real UI runs in Chromium (development and end-to-end tests) without Electron.
// Safety: bound to 127.0.0.1, a random token per run guards the socket and the file routes, and the
// socket only accepts this server's own origin. No request, whatever its shape, can end the process:
// every handler answers (400/403/404/500) and every socket and WebSocket error is caught.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { EventName, EventPayload } from '../shared/contract';
import { encodeWire, MAX_WIRE_DEPTH, MAX_WIRE_MESSAGE_BYTES, reviveWire, type ServerMessage } from '../shared/wire';
import { describeZodError, type Dispatch } from '../core/ipc/dispatch';
import type { ResolvedFile } from '../core/file-routes';
import { realFileWithin } from '../core/util/within';

export interface BridgeOptions {
  dispatch: Dispatch;
  /** Resolves `model/<id>`-style routes to files. */
  resolveFile: (route: string) => ResolvedFile | null;
  /** Serve a built renderer from this folder... */
  staticDir?: string;
  /** ...or hand unknown requests to a dev server (Vite middleware). */
  middleware?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** Rewrites index.html served by the middleware path (Vite's transformIndexHtml). */
  port?: number;
  host?: string;
  token?: string;
  maxMessageBytes?: number;
}

export interface Bridge {
  url: string;
  /** Open this in a browser: the token travels in the fragment, never in a request line. */
  appUrl: string;
  origin: string;
  token: string;
  fileBaseUrl: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

const CallSchema = z.object({ type: z.literal('call'), id: z.number().int(), channel: z.string().max(100), input: z.unknown().optional() });

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The request's path and query, or null when it is not a plain origin-form path (`//`, `*`, absolute URLs). */
function requestUrl(req: IncomingMessage): URL | null {
  const raw = req.url ?? '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    return new URL(raw, 'http://bridge.invalid');
  } catch {
    return null;
  }
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function failed(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(500);
  res.end();
}

type ReadCall = { ok: true; call: z.infer<typeof CallSchema> } | { ok: false; id: number | null; message: string };

/** A call's id when the message is a call with a numeric id, whatever else is wrong with it. */
function callIdOf(value: unknown): number | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return type === 'call' && typeof id === 'number' && Number.isFinite(id) ? id : null;
}

function readCall(text: string): ReadCall {
  let message: unknown;
  try {
    message = JSON.parse(text) as unknown;
  } catch {
    return { ok: false, id: null, message: '' }; // Not a call from our client.
  }
  // Read before reviving, which changes the message in place.
  const id = callIdOf(message);
  if (id === null) return { ok: false, id: null, message: '' };
  let decoded: unknown;
  try {
    decoded = reviveWire(message, MAX_WIRE_DEPTH);
  } catch (error) {
    const why = error instanceof RangeError ? `its input is nested deeper than ${MAX_WIRE_DEPTH} levels` : 'its image bytes are not base64';
    return { ok: false, id, message: `Invalid request - ${why}.` };
  }
  const parsed = CallSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, id, message: describeZodError(parsed.error) };
  return { ok: true, call: parsed.data };
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Lets the page's CSP reach this bridge's socket (the built CSP only allows 'self'). */
export function allowBridgeInCsp(html: string, origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return html.replace(/connect-src ([^;"]*)/, (_m, rest: string) => `connect-src ${rest} ${ws}`);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const host = options.host ?? '127.0.0.1';
  const maxMessageBytes = options.maxMessageBytes ?? MAX_WIRE_MESSAGE_BYTES;
  let origin = '';

  const serveFile = async (res: ServerResponse, file: ResolvedFile) => {
    try {
      const info = await stat(file.path);
      if (!info.isFile()) return void res.writeHead(404).end('Not found');
      const stream = createReadStream(file.path);
      // A file removed between stat and read: cut the answer short instead of throwing.
      stream.on('error', () => res.destroy());
      res.writeHead(200, { 'content-type': file.mime, 'content-length': info.size, 'cache-control': 'no-store' });
      stream.pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(404).end('Not found');
    }
  };

  const serveStatic = async (res: ServerResponse, url: URL) => {
    const dir = options.staticDir!;
    const pathname = safeDecode(url.pathname);
    if (pathname === null || pathname.includes('\0')) return res.writeHead(400).end('Bad request');
    const route = pathname === '/' ? '/index.html' : pathname;
    // Links are followed only while they stay inside the folder (a link out of it is not served).
    const file = await realFileWithin(dir, route);
    if (!file) return res.writeHead(404).end('Not found');
    try {
      let body: Buffer | string = await readFile(file);
      const type = STATIC_TYPES[extname(route)] ?? 'application/octet-stream';
      if (extname(route) === '.html') body = allowBridgeInCsp(body.toString('utf8'), origin);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('Not found');
    }
  };

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    if (!url) return void res.writeHead(400).end('Bad request');
    const fileMatch = /^\/files\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      if (!sameToken(fileMatch[1]!, token)) return void res.writeHead(403).end();
      const file = options.resolveFile(fileMatch[2]!);
      if (!file) return void res.writeHead(404).end('Not found');
      return void serveFile(res, file).catch(() => failed(res));
    }
    if (options.middleware) return options.middleware(req, res, () => res.writeHead(404).end('Not found'));
    if (options.staticDir) return void serveStatic(res, url).catch(() => failed(res));
    res.writeHead(404).end('Not found');
  };

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    try {
      handleRequest(req, res);
    } catch {
      failed(res);
    }
  });
  // A client that resets mid-request, or sends something that is not HTTP: answer if possible, never throw.
  // CONNECT (proxy tunnelling) is not something this server does; without a listener Node just hangs up.
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    try {
      const url = requestUrl(req);
      if (!url) return refuse('400 Bad Request');
      // Vite's HMR socket listens on a port of its own, so any other path is simply not found.
      if (url.pathname !== '/bridge') return refuse('404 Not Found');
      const fromOwnOrigin = req.headers.origin === origin;
      if (!fromOwnOrigin || !sameToken(url.searchParams.get('token'), token)) return refuse('403 Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
    } catch {
      refuse('400 Bad Request');
    }
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // Oversized or malformed frames: ws closes the socket and reports here; the server carries on.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => void answerCall(ws, data).catch(() => undefined));
  });

  const answerCall = async (ws: WebSocket, data: RawData) => {
    const read = readCall(rawText(data));
    if (!read.ok) {
      // A call it cannot read still gets an answer under its id: the page's promise would wait forever.
      if (read.id !== null && ws.readyState === ws.OPEN) {
        ws.send(encodeWire({ type: 'result', id: read.id, result: { ok: false, error: { code: 'invalid_input', message: read.message } } }));
      }
      return;
    }
    const call = read.call;
    let result: ServerMessage & { type: 'result' };
    try {
      result = { type: 'result', id: call.id, result: await options.dispatch(call.channel, call.input) };
    } catch {
      result = { type: 'result', id: call.id, result: { ok: false, error: { code: 'internal', message: 'Something went wrong inside the app. Please try again.' } } };
    }
    if (ws.readyState === ws.OPEN) ws.send(encodeWire(result));
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;

  return {
    url: origin,
    origin,
    token,
    appUrl: `${origin}/#token=${token}`,
    fileBaseUrl: `${origin}/files/${token}/`,
    emit(event, payload) {
      const text = encodeWire({ type: 'event', event, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
