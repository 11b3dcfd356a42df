// JSON framing for the browser transport. Uint8Array travels as base64 so dropped and pasted images
// reach the same handlers they reach over Electron's structured clone.
import type { Result } from './result';

export type ClientMessage = { type: 'call'; id: number; channel: string; input: unknown };
export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: string; payload: unknown };

const BYTES_TAG = '__bytes_b64';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES_TAG]: toBase64(value) } : value,
  );
}

/**
 * Largest message the browser transport carries, in UTF-8 bytes: the bridge's socket closes on a
 * larger one (web-bridge/server.ts), so the page refuses such a call itself (transport/web-api.ts).
 */
export const MAX_WIRE_MESSAGE_BYTES = 256 * 1024 * 1024;

/** The text's size in UTF-8 bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Deeper than any message of the contract; a deeper one is refused before anything walks it. */
export const MAX_WIRE_DEPTH = 64;

/**
 * Parses a message and turns its tagged base64 back into bytes. Walks with its own stack rather than a
 * JSON.parse reviver, whose recursion overflowed on a few thousand nested arrays. Throws on a message
 * nested deeper than `maxDepth` or on tagged bytes that are not base64.
 */
export function decodeWire(text: string, maxDepth = Infinity): unknown {
  return reviveWire(JSON.parse(text) as unknown, maxDepth);
}

/** decodeWire's second half, for a message already parsed (its arrays and objects are changed in place). */
export function reviveWire(parsed: unknown, maxDepth = Infinity): unknown {
  const root: { value: unknown } = { value: parsed };
  const stack: { holder: Record<string | number, unknown>; key: string | number; depth: number }[] = [{ holder: root, key: 'value', depth: 0 }];
  while (stack.length > 0) {
    const { holder, key, depth } = stack.pop()!;
    const value = holder[key];
    if (!value || typeof value !== 'object') continue;
    if (depth >= maxDepth) throw new RangeError(`nested deeper than ${maxDepth} levels`);
    if (Array.isArray(value)) {
      value.forEach((_item, i) => stack.push({ holder: value as unknown[] as Record<number, unknown>, key: i, depth: depth + 1 }));
      continue;
    }
    const record = value as Record<string, unknown>;
    const tagged = record[BYTES_TAG];
    if (typeof tagged === 'string' && Object.keys(record).length === 1) {
      // Defined, not assigned: under the key "__proto__" an assignment would replace the holder's prototype.
      Object.defineProperty(holder, key, { value: fromBase64(tagged), writable: true, enumerable: true, configurable: true });
      continue;
    }
    for (const name of Object.keys(record)) stack.push({ holder: record, key: name, depth: depth + 1 });
  }
  return root.value;
}
