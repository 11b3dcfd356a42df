// A node:http answer as the head of a fetch Response: what the FAL calls (fal/node-fetch.ts) and the
// result downloads (library/pinned-request.ts) both hand back over node:http.
import type { IncomingMessage } from 'node:http';

/** Statuses whose Response has no body (Response refuses one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** Status, status text and headers (in order); throws for a status fetch would not hand over. */
export function responseHead(message: IncomingMessage): { status: number; statusText: string; headers: Headers } {
  const status = message.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`the server answered with status ${status}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  return { status, statusText: message.statusMessage ?? '', headers };
}
