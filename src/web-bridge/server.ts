// The browser transport: serves the renderer and the same handlers over a loopback WebSocket, so the
// real UI runs in Chromium (development and end-to-end tests) without Electron.
// Safety: bound to 127.0.0.1, a random token per run guards the socket and the file routes, and the
// socket only accepts this server's own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { EventName, EventPayload } from '../shared/contract';
import { decodeWire, encodeWire, type ServerMessage } from '../shared/wire';
import type { Dispatch } from '../core/ipc/dispatch';
import type { ResolvedFile } from '../core/file-routes';

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
  const maxMessageBytes = options.maxMessageBytes ?? 256 * 1024 * 1024;
  let origin = '';

  const serveFile = async (res: ServerResponse, file: ResolvedFile) => {
    try {
      const info = await stat(file.path);
      res.writeHead(200, { 'content-type': file.mime, 'content-length': info.size, 'cache-control': 'no-store' });
      createReadStream(file.path).pipe(res);
    } catch {
      res.writeHead(404).end('Not found');
    }
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse) => {
    const dir = options.staticDir!;
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    const full = normalize(join(dir, rel));
    if (!full.startsWith(normalize(dir) + sep)) return res.writeHead(403).end();
    try {
      let body: Buffer | string = await readFile(full);
      const type = STATIC_TYPES[extname(full)] ?? 'application/octet-stream';
      if (extname(full) === '.html') body = allowBridgeInCsp(body.toString('utf8'), origin);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('Not found');
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const fileMatch = /^\/files\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      if (!sameToken(fileMatch[1]!, token)) return void res.writeHead(403).end();
      const file = options.resolveFile(fileMatch[2]!);
      if (!file) return void res.writeHead(404).end('Not found');
      return void serveFile(res, file);
    }
    if (options.middleware) return options.middleware(req, res, () => res.writeHead(404).end('Not found'));
    if (options.staticDir) return void serveStatic(req, res);
    res.writeHead(404).end('Not found');
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/bridge') return; // Vite's HMR socket and others are not ours.
    const fromOwnOrigin = req.headers.origin === origin;
    if (!fromOwnOrigin || !sameToken(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let call: z.infer<typeof CallSchema>;
      try {
        call = CallSchema.parse(decodeWire(data.toString()));
      } catch {
        return; // Not a call from our client; nothing to answer.
      }
      const result = await options.dispatch(call.channel, call.input);
      const reply: ServerMessage = { type: 'result', id: call.id, result };
      if (ws.readyState === ws.OPEN) ws.send(encodeWire(reply));
    });
  });

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
