// An answer read whole (WholeResponse) reads as fetch's Response over the same bytes would: the same
// text, JSON, bytes, blob, one read only, bodyUsed, and a stream for whoever asks for `body`.
import { describe, expect, it } from 'vitest';
import { WholeResponse } from '../../../src/core/fal/whole-response';

const init = () => ({ status: 201, statusText: 'Created', headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-fal-request-id': 'r1' }) });
const whole = (bytes: Uint8Array<ArrayBuffer>) => new WholeResponse(bytes, init()).asResponse();
const real = (bytes: Uint8Array<ArrayBuffer>) => new Response(bytes.slice(), init());
const utf8 = (text: string) => new TextEncoder().encode(text);
/** A BOM, then JSON with a multi-byte character; and bytes that are not UTF-8 at all. */
const samples = [utf8('\uFEFF{"name":"Chair 🪑","n":1}'), Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), new Uint8Array(0)];

async function settle<T>(read: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await read() };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

async function readOnce(response: Response): Promise<Response> {
  await response.json();
  return response;
}

describe('WholeResponse', () => {
  it('is a Response with the status, status text and headers it was given', () => {
    const response = whole(utf8('{}'));
    expect(response).toBeInstanceOf(Response);
    expect({ ok: response.ok, status: response.status, statusText: response.statusText }).toEqual({ ok: true, status: 201, statusText: 'Created' });
    expect(response.headers.get('x-fal-request-id')).toBe('r1');
  });

  for (const [i, bytes] of samples.entries()) {
    it(`reads sample ${i} as fetch's Response does: text, json, arrayBuffer, blob`, async () => {
      expect(await whole(bytes).text()).toBe(await real(bytes).text());
      expect(await settle(() => whole(bytes).json())).toEqual(await settle(() => real(bytes).json()));
      expect(new Uint8Array(await whole(bytes).arrayBuffer())).toEqual(new Uint8Array(await real(bytes).arrayBuffer()));
      const [a, b] = [await whole(bytes).blob(), await real(bytes).blob()];
      expect({ type: a.type, bytes: new Uint8Array(await a.arrayBuffer()) }).toEqual({ type: b.type, bytes: new Uint8Array(await b.arrayBuffer()) });
    });
  }

  it('is read once: a second read fails with a TypeError, and bodyUsed says so', async () => {
    const response = whole(utf8('{"a":1}'));
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    // Its stream, asked for afterwards, is a used (locked) one, as fetch's is.
    for (const used of [response, await readOnce(real(utf8('{"a":1}')))]) {
      expect(used.body).not.toBeNull();
      expect(() => used.body!.getReader()).toThrow(TypeError);
      expect(() => used.clone()).toThrow(TypeError);
    }
  });

  it('hands its bytes out as a copy: changing them changes nothing it holds', async () => {
    const bytes = utf8('{"a":1}');
    const response = whole(bytes);
    const clone = response.clone();
    new Uint8Array(await response.arrayBuffer()).fill(0);
    expect(await clone.json()).toEqual({ a: 1 });
  });

  it('gives whoever asks for `body` the bytes as a stream, and is used once that stream is read', async () => {
    const response = whole(utf8('{"a":1}'));
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe('{"a":1}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.json()).rejects.toBeInstanceOf(TypeError);
  });

  it('clones before a read into two answers that are each read once', async () => {
    const response = whole(utf8('{"a":1}'));
    const clone = response.clone();
    expect(await response.json()).toEqual({ a: 1 });
    expect(await clone.text()).toBe('{"a":1}');
    expect(clone.headers.get('x-fal-request-id')).toBe('r1');
  });

  it('tells its unread bytes (without reading them) until the body is read or streamed', async () => {
    const bytes = utf8('{"a":1}');
    const read = new WholeResponse(bytes, init());
    expect(read.unreadBytes()).toBe(bytes);
    await read.asResponse().json();
    expect(read.unreadBytes()).toBeNull();
    const streamed = new WholeResponse(bytes, init());
    void streamed.asResponse().body;
    expect(streamed.unreadBytes()).toBeNull();
  });
});
