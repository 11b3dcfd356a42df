// Small node:http helpers: read a body, build and write answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A complete answer, built by a handler and possibly altered by a fault before it is written. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

export function bytesReply(status: number, body: Buffer, contentType: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: Buffer.alloc(0) };
}

export function writeReply(res: ServerResponse, reply: Reply, headOnly = false): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  res.end(headOnly ? undefined : reply.body);
}

/** Parse a JSON body; undefined when empty or invalid. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes `reply` (a JSON object) padded with a long string to `bytes` bytes in all, in chunks as the
 * reader takes them; stops when the reader goes away. `chunked`: no Content-Length.
 */
export async function writePadded(res: ServerResponse, reply: Reply, bytes: number, chunked = false): Promise<void> {
  const open = reply.body.toString('utf8').replace(/}\s*$/, '');
  const head = Buffer.from(`${open}${open.endsWith('{') ? '' : ','}"padding":"`);
  const tail = Buffer.from('"}');
  let left = Math.max(0, bytes - head.length - tail.length);
  res.writeHead(reply.status, { ...reply.headers, ...(chunked ? {} : { 'content-length': String(head.length + left + tail.length) }) });
  const block = Buffer.alloc(64 * 1024, 'a');
  let chunk: Buffer = head;
  while (!res.destroyed) {
    if (!res.write(chunk) && !(await drained(res))) return;
    if (left === 0) break;
    chunk = left >= block.length ? block : block.subarray(0, left);
    left -= chunk.length;
  }
  if (!res.destroyed) res.end(tail);
}

/**
 * A status stream whose one event never ends: `data: {"status":"IN_PROGRESS","padding":"aaa...` with no
 * line end, `bytes` in all, as the reader takes them; stops when the reader goes away. Calls
 * `onWritten` with the running total.
 */
export async function writeEndlessEvent(res: ServerResponse, bytes: number, headers: Record<string, string>, onWritten: (total: number) => void): Promise<void> {
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const block = Buffer.alloc(64 * 1024, 'a');
  let chunk: Buffer = Buffer.from('data: {"status":"IN_PROGRESS","padding":"');
  let total = 0;
  while (!res.destroyed && total < bytes) {
    chunk = chunk.subarray(0, bytes - total);
    total += chunk.length;
    onWritten(total);
    if (!res.write(chunk) && !(await drained(res))) return;
    chunk = block;
  }
  if (!res.destroyed) res.end();
}

/** Resolves true when `res` can take more, false when it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
