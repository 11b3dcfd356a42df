// @fal-ai/client decodes each chunk of the status event stream on its own (TextDecoder without
// `stream: true`), so a character whose UTF-8 bytes arrive in two chunks - any non-ASCII log line
// cut by the network - turns into replacement characters ("�"). The stream is handed to it with
// every chunk ending on a character boundary; the bytes themselves are unchanged.

/**
 * How many bytes at the end of `bytes` start a character that is not complete yet (0-3): a lead byte
 * followed by fewer continuation bytes than it announces.
 */
export function incompleteTail(bytes: Uint8Array): number {
  // A UTF-8 character is at most 4 bytes: its lead byte is among the last 4.
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0; // only continuation bytes: not UTF-8 anyway, passed on as they are
}

/**
 * Re-cuts a byte stream's chunks, in order, so that none ends inside a UTF-8 character: `cut` gives
 * what may be passed on now (null: nothing yet), `rest` what is held at the end (an unfinished
 * character, passed on as it is).
 */
export function characterCutter(): { cut(chunk: Uint8Array): Uint8Array | null; rest(): Uint8Array | null } {
  let held: Uint8Array | null = null;
  return {
    cut(chunk) {
      const bytes = held ? concat(held, chunk) : chunk;
      const tail = incompleteTail(bytes);
      held = tail > 0 ? bytes.slice(bytes.length - tail) : null;
      if (bytes.length <= tail) return null;
      return tail > 0 ? bytes.subarray(0, bytes.length - tail) : bytes;
    },
    rest: () => held,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
