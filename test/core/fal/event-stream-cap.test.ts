import { describe, expect, it } from 'vitest';
import { guardStatusStream } from '../../../src/core/fal/status-stream-guard';
import { chunkedStream } from '../../support/byte-stream';

/** A stream of `text` cut into chunks of `chunkSize` bytes (boundaries fall anywhere, mid-CRLF too). */
const streamOf = (text: string, chunkSize: number) => chunkedStream(new TextEncoder().encode(text), chunkSize);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('guardStatusStream: each event capped', () => {
  const event = (n: number, end: string) => `data: {"status":"IN_PROGRESS","n":${n},"pad":"${'x'.repeat(200)}"}${end}${end}`;

  for (const [name, end] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`passes a long stream of small events through unchanged (${name} line ends, any chunking)`, async () => {
      const text = Array.from({ length: 200 }, (_, n) => event(n, end)).join('');
      // 200 events of ~250 bytes: far more than the cap in all, each far below it.
      for (const chunkSize of [1, 7, 4096]) {
        expect(await readAll(guardStatusStream(streamOf(text, chunkSize), 1024))).toBe(text);
      }
    });
  }

  it('ends the stream with a clear error once one event passes the cap, even spread over many lines', async () => {
    const lines = Array.from({ length: 20 }, () => `data: ${'y'.repeat(100)}\n`).join(''); // one event, ~2 KiB
    await expect(readAll(guardStatusStream(streamOf(lines, 64), 1024))).rejects.toThrow('the status stream sent an event larger than 1024 bytes');
  });

  it('cancels its source when it gives up (the connection is closed)', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(512).fill(0x61)),
      cancel: () => void (cancelled = true),
    });
    await expect(readAll(guardStatusStream(endless, 4096))).rejects.toThrow(/larger than/);
    expect(cancelled).toBe(true);
  });
});
