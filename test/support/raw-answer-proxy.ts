// A proxy in front of the fake FAL server that writes its answers' heads byte by byte: a test can
// send what Node's own server refuses to write (a control character in the reason phrase, a folded
// header, a 103 before the answer...) and see what the app's fetch (fal/node-fetch.ts) makes of it.
// One request per connection; the body is passed on as it comes, delimited by the connection's close.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { nodeFetch } from '../../src/core/fal/node-fetch';

/** Which answers to rewrite, and how: the head as FAL's server sent it (status line, headers) in, raw bytes out. */
export type HeadRewrite = (exchange: { method: string; target: string; status: number; reason: string; rawHeaders: string[] }) => string | null;

export interface RawAnswerProxy {
  url: string;
  /** How many answers were rewritten. */
  rewritten: number;
  close(): Promise<void>;
}

/** A raw head: status line and headers, each line ended by CRLF, then the empty line. */
export function rawHead(statusLine: string, headers: [string, string][]): string {
  return `${statusLine}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/** The upstream's headers fit to pass on with a close-delimited body. */
export function passedHeaders(rawHeaders: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!/^(content-length|transfer-encoding|connection|keep-alive)$/i.test(name)) out.push([name, rawHeaders[i + 1]!]);
  }
  out.push(['connection', 'close']);
  return out;
}

export async function startRawAnswerProxy(upstream: string, rewrite: HeadRewrite): Promise<RawAnswerProxy> {
  const sockets = new Set<Socket>();
  const proxy: RawAnswerProxy = { url: '', rewritten: 0, close: async () => undefined };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const [method, path] = lines[0]!.split(' ') as [string, string];
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffered.length < end + 4 + length) return;
      socket.off('data', onData);
      const body = buffered.subarray(end + 4, end + 4 + length);
      delete headers.connection;
      const out = httpRequest(`${upstream}${path}`, { method, headers, agent: false }, (answer: IncomingMessage) => {
        const target = headers['x-fal-target-url'] ?? path;
        const passed = passedHeaders(answer.rawHeaders);
        const rewritten = rewrite({ method, target, status: answer.statusCode ?? 0, reason: answer.statusMessage ?? '', rawHeaders: answer.rawHeaders });
        if (rewritten !== null) proxy.rewritten++;
        socket.write(rewritten ?? rawHead(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`, passed));
        answer.on('data', (data: Buffer) => socket.write(data));
        answer.on('end', () => socket.end());
        answer.on('error', () => socket.destroy());
      });
      out.on('error', () => socket.destroy());
      out.end(body);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}

/** A FAL queue submit (a POST to the model's queue URL, through the fake's proxy header). */
function isSubmit(init: RequestInit | undefined): boolean {
  const target = new Headers(init?.headers).get('x-fal-target-url') ?? '';
  return init?.method === 'POST' && /^https:\/\/queue\.fal\.run\/[^?]*$/.test(target) && !target.includes('/requests/');
}

/** A fetch for the engine: submits go through `proxied()` (which writes the answer's head raw), every other call straight to the fake server. */
export function submitsThrough(fakeUrl: string, proxied: () => RawAnswerProxy): typeof fetch {
  return (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    return nodeFetch(isSubmit(init) ? url.replace(fakeUrl, proxied().url) : input, init);
  };
}
