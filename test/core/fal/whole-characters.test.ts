import { describe, expect, it } from 'vitest';
import { incompleteTail } from '../../../src/core/fal/whole-characters';
import { guardStatusStream } from '../../../src/core/fal/status-stream-guard';
import { chunkedStream as streamOf } from '../../support/byte-stream';

/** Reads the way @fal-ai/client does: each chunk decoded on its own. */
async function decodePerChunk(stream: ReadableStream<Uint8Array>): Promise<{ text: string; bytes: number[] }> {
  let text = '';
  const bytes: number[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, bytes };
    text += new TextDecoder('utf-8').decode(value);
    bytes.push(...value);
  }
}

const TEXT = 'data: {"logs":[{"message":"Génération du modèle 3D – 50 % 🦊 完成"}]}\n\n';

describe('guardStatusStream: cut only between characters', () => {
  it('a reader that decodes chunk by chunk gets every character right, however the bytes were cut', async () => {
    const bytes = new TextEncoder().encode(TEXT);
    for (let chunkSize = 1; chunkSize <= 9; chunkSize++) {
      const read = await decodePerChunk(guardStatusStream(streamOf(bytes, chunkSize)));
      expect(read.text, `chunks of ${chunkSize}`).toBe(TEXT);
      expect(read.bytes).toEqual([...bytes]);
    }
  });

  it('without it the same reader garbles the text (what the client saw before)', async () => {
    const read = await decodePerChunk(streamOf(new TextEncoder().encode(TEXT), 5));
    expect(read.text).not.toBe(TEXT);
    expect(read.text).toContain('\uFFFD');
  });

  it('passes bytes that are not UTF-8, and a character cut off by the end, on unchanged', async () => {
    const broken = new Uint8Array([0x61, 0x80, 0x80, 0x80, 0x80, 0x62, 0xff, 0xc3]);
    for (let chunkSize = 1; chunkSize <= 3; chunkSize++) {
      expect((await decodePerChunk(guardStatusStream(streamOf(broken, chunkSize)))).bytes).toEqual([...broken]);
    }
  });

  it('counts the bytes of an unfinished character at the end', () => {
    const euro = new TextEncoder().encode('€'); // 3 bytes
    const fox = new TextEncoder().encode('🦊'); // 4 bytes
    expect(incompleteTail(new TextEncoder().encode('abc'))).toBe(0);
    expect(incompleteTail(euro)).toBe(0);
    expect(incompleteTail(euro.subarray(0, 1))).toBe(1);
    expect(incompleteTail(euro.subarray(0, 2))).toBe(2);
    expect(incompleteTail(fox.subarray(0, 3))).toBe(3);
    expect(incompleteTail(fox)).toBe(0);
    expect(incompleteTail(new Uint8Array([]))).toBe(0);
  });
});
