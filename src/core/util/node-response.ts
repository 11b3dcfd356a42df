// A node:http answer as the head of a fetch Response: what the FAL calls (fal/node-fetch.ts) and the
// result downloads (library/pinned-request.ts) both hand back over node:http.
import type { IncomingMessage } from 'node:http';

/** Statuses whose Response has no body (Response refuses one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** Status, status text and headers (in order); throws for a status fetch would not hand over. */
export function responseHead(message: IncomingMessage): { status: number; statusText: string; headers: Headers } {
  const status = message.statusCode ?? 0;
  if (status < 200 || status > 599) throw Object.assign(new Error(`the server answered with status ${status}`), { code: 'HPE_INVALID_STATUS' });
  const headers = new Headers();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  return { status, statusText: reasonPhrase(message.statusMessage ?? ''), headers };
}

/**
 * The reason phrase as Response takes it. HTTP's parser passes control characters (NUL, ESC, DEL...)
 * in it and the real fetch hands them over, but Response refuses them ("Invalid statusText"): an
 * answer in hand - a submit's request id - was thrown away over a word nobody reads. Dropped here.
 */
function reasonPhrase(text: string): string {
  // Response's rule: HTAB, SP, visible ASCII and obs-text (0x80-0xFF).
  return text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}
