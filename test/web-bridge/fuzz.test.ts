// HTTP fuzz of the browser transport: random paths, encodings, methods, headers and upgrade requests,
// with and without the run token, then oversized and malformed WebSocket frames. The bridge runs in a
// child process, so "the process survives" is observed, not assumed: every request gets an HTTP
// answer, and afterwards the child is alive and still answers a real call.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire, encodeWire } from '../../src/shared/wire';

interface Child {
  process: ChildProcess;
  url: string;
  origin: string;
  token: string;
  port: number;
  stderr: () => string;
}

let dir = '';
let child: Child;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-fuzz-'));
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self'">hi`);
  child = await startChild(join(dir, 'data'), staticDir);
}, 60_000);

afterAll(async () => {
  if (child && child.process.exitCode === null) {
    child.process.kill('SIGTERM');
    await new Promise((resolve) => child.process.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

function startChild(dataDir: string, staticDir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/web-bridge/bridge-child.ts', dataDir, staticDir], {
    env: { ...process.env, FAL_KEY: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`bridge child exited (${code}) before starting: ${stderr}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      const info = JSON.parse(line) as { url: string; origin: string; token: string };
      resolve({ process: proc, ...info, port: Number(new URL(info.url).port), stderr: () => stderr });
    });
  });
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, int: (n: number) => Math.floor(next() * n) };
}

/** Sends raw bytes and resolves with the status line of the answer ('' when the server only closed). */
function rawRequest(bytes: Buffer | string, port = child.port): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received.split('\r\n')[0] ?? '');
    };
    const timer = setTimeout(done, 5_000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'FOO'];
const PATHS = [
  '//', '/%E0%A4%A', '/%', '/%zz', '/%00', '/%2e%2e/%2e%2e/etc/passwd', '/../../../etc/passwd', '/..%2f..%2fetc%2fpasswd',
  '/index.html', '/', '/bridge', '//bridge', '/bridge?token=', '/files/', '/files//x', '/files/a/b', '/files/%E0%A4%A/model/x',
  '*', 'http://evil.example/', 'https://127.0.0.1/x', '/\u00e9\u4e2d', '/a?b=%E0%A4%A&c', '/#frag', `/${'a'.repeat(10_000)}`, '/;/;', '/ /',
];
const HEADERS = [
  'Host: x', 'Host:', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: 99999999999999999999', 'Transfer-Encoding: chunked',
  'Transfer-Encoding: gzip, chunked', 'Expect: 100-continue', 'Origin: http://evil.example', 'Origin: null', 'Cookie: a=b',
  `X-Big: ${'b'.repeat(20_000)}`, 'Connection: keep-alive', 'Connection: upgrade', 'Upgrade: websocket', 'Upgrade: h2c',
  'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Key: short',
  'Range: bytes=0-1', 'Accept-Encoding: br', 'X-Null: \u0000', 'Bad Header', ': empty name',
];

function randomRequest(r: ReturnType<typeof rng>, token: string): string {
  const method = r.pick(METHODS);
  let path = r.pick(PATHS);
  if (r.next() < 0.3) path = `/files/${r.next() < 0.5 ? token : 'wrong'}/${r.pick(['model/x', 'preview/%E0%A4%A', '..', 'input/../../x', ''])}`;
  if (r.next() < 0.2) path = `/bridge?token=${r.next() < 0.5 ? token : encodeURIComponent(r.pick(PATHS))}`;
  if (r.next() < 0.1) path = `/${randomBytes(r.int(40) + 1).toString('latin1').replace(/[\r\n ]/g, '')}`;
  const headers = Array.from({ length: r.int(5) }, () => r.pick(HEADERS));
  if (r.next() < 0.3) headers.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
  const version = r.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '']);
  const body = r.next() < 0.2 ? 'hello' : '';
  return `${method} ${path} ${version}\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}\r\n${body}`;
}

const STATUS_LINE = /^HTTP\/1\.[01] \d{3}/;

async function expectAlive(): Promise<void> {
  expect(child.process.exitCode, child.stderr()).toBeNull();
  expect(await rawRequest('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 200/);
}

/** Opens the app's own socket (right origin and token) and makes one real call. */
async function callAppInfo(): Promise<unknown> {
  const ws = new WebSocket(`${child.url.replace('http', 'ws')}/bridge?token=${child.token}`, { headers: { origin: child.origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const reply = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(decodeWire(data.toString()))));
  ws.send(encodeWire({ type: 'call', id: 1, channel: 'app:info', input: undefined }));
  const result = await reply;
  ws.close();
  return result;
}

/** A raw socket past the WebSocket handshake, to write frames no well-behaved client would send. */
async function rawWebSocket(): Promise<Socket> {
  const socket = connect(child.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  socket.write(
    `GET /bridge?token=${child.token} HTTP/1.1\r\nHost: 127.0.0.1:${child.port}\r\nOrigin: ${child.origin}\r\n` +
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  return socket;
}

/** A client frame (masked unless told otherwise) with any header bits and a declared length. */
function frame(opts: { fin?: boolean; rsv?: number; opcode: number; payload?: Buffer; declaredLength?: bigint; masked?: boolean }): Buffer {
  const payload = opts.payload ?? Buffer.alloc(0);
  const length = opts.declaredLength ?? BigInt(payload.length);
  const first = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opts.opcode;
  const maskBit = (opts.masked ?? true) ? 0x80 : 0;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, maskBit | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  const mask = (opts.masked ?? true) ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  const body = (opts.masked ?? true) ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
  return Buffer.concat([header, mask, body]);
}

describe('browser transport under hostile requests', () => {
  it('answers the requests that used to end the process (GET //, upgrade to //, GET /%E0%A4%A)', async () => {
    expect(await rawRequest('GET // HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest('GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const upgrade = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==';
    expect(await rawRequest(`GET // HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(`GET /elsewhere HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawRequest(`GET /bridge?token=${child.token} HTTP/1.1\r\nHost: x\r\n${upgrade}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
    await expectAlive();
  });

  it('answers 600 random requests, with and without the token, and lives on', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
    const r = rng(seed);
    const requests = Array.from({ length: 600 }, () => randomRequest(r, child.token));
    for (let i = 0; i < requests.length; i += 25) {
      const batch = requests.slice(i, i + 25);
      const answers = await Promise.all(batch.map((request) => rawRequest(request)));
      answers.forEach((answer, j) => {
        expect(answer, `seed ${seed}, request ${JSON.stringify(batch[j]!.slice(0, 300))}`).toMatch(STATUS_LINE);
      });
      expect(child.process.exitCode, `seed ${seed}: ${child.stderr()}`).toBeNull();
    }
    await expectAlive();
  }, 120_000);

  it('survives oversized and malformed WebSocket frames and keeps answering calls', async () => {
    const hostile: Buffer[] = [
      frame({ opcode: 1, declaredLength: 2n ** 62n }), // "a frame" far over the payload limit
      frame({ opcode: 2, declaredLength: 2n ** 63n + 5n }), // length with the top bit set (invalid)
      frame({ opcode: 3, payload: Buffer.from('x') }), // reserved opcode
      frame({ opcode: 1, rsv: 7, payload: Buffer.from('x') }), // RSV bits without an extension
      frame({ opcode: 1, payload: Buffer.from('x'), masked: false }), // unmasked client frame
      frame({ opcode: 1, payload: Buffer.from([0xff, 0xfe, 0xc3]) }), // invalid UTF-8 text
      frame({ opcode: 9, payload: Buffer.alloc(200) }), // control frame over 125 bytes
      frame({ opcode: 8, fin: false }), // fragmented control frame
      frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), // close with a reserved code
      frame({ opcode: 0, payload: Buffer.from('x') }), // continuation with nothing to continue
      frame({ opcode: 1, payload: Buffer.from('{"type":"call","id":1,"channel":"nope","input":{"__proto__":{"x":1}}}') }),
      frame({ opcode: 1, payload: Buffer.from('{"type":"call","id":2,"channel":"jobs:add","input":{"items":[{"kind":"bytes","name":"a","bytes":{"__bytes_b64":"!!"}}]}}') }),
      Buffer.concat([frame({ opcode: 1, fin: false, payload: Buffer.from('{') }), frame({ opcode: 2, payload: Buffer.from('x') })]), // interleaved data frames
      randomBytes(4096),
    ];
    for (const bytes of hostile) {
      const socket = await rawWebSocket();
      socket.write(bytes);
      await new Promise((resolve) => {
        socket.once('close', resolve);
        setTimeout(resolve, 300);
      });
      socket.destroy();
      expect(child.process.exitCode, child.stderr()).toBeNull();
    }
    await expectAlive();
    expect(await callAppInfo()).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
  }, 60_000);

  it('resets mid-request and mid-handshake without harm', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = connect(child.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(i % 2 ? `GET /bridge?token=${child.token} HTTP/1.1\r\nHost: x\r\nOrigin: ${child.origin}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` : 'POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc');
      socket.resetAndDestroy();
    }
    await expectAlive();
  });
});
