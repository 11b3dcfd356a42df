// A call the browser transport cannot read - image bytes that are not base64, input nested thousands
// of levels deep, a channel name past the limit, a fractional id - used to get no answer at all: the
// page's promise waited forever (a button stuck on "Adding..."). Every call that carries an id now gets
// a typed invalid_input answer under that id, and the socket keeps serving.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeWire } from '../../src/shared/wire';
import { startBridge, type Bridge } from '../../src/web-bridge/server';

let bridge: Bridge | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await bridge?.close();
  bridge = null;
});

async function open(): Promise<{ ws: WebSocket; calls: string[]; answers: Map<number, unknown> }> {
  const calls: string[] = [];
  bridge = await startBridge({
    dispatch: async (channel) => {
      calls.push(channel);
      return { ok: true, data: null };
    },
    resolveFile: () => null,
  });
  const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/bridge?token=${bridge.token}`, { headers: { origin: bridge.origin } });
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const answers = new Map<number, unknown>();
  // Read plainly: the test must not depend on the decoder under test.
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; id: number; result: unknown };
    if (message.type === 'result') answers.set(message.id, message.result);
  });
  return { ws, calls, answers };
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function answerTo(answers: Map<number, unknown>, id: number): Promise<unknown> {
  for (let i = 0; i < 100 && !answers.has(id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return answers.get(id);
}

describe('browser transport: calls it cannot read', () => {
  it('answers each with invalid_input under its id and keeps serving', async () => {
    const { ws, calls, answers } = await open();
    const unreadable: [number, string][] = [
      [1, '{"type":"call","id":1,"channel":"jobs:add","input":{"items":[{"kind":"bytes","name":"a.png","bytes":{"__bytes_b64":"!!not base64!!"}}]}}'],
      [2, `{"type":"call","id":2,"channel":"jobs:add","input":{"items":[],"options":{"a":${nested(5000)}}}}`],
      [3, `{"type":"call","id":3,"channel":"settings:set","input":${nested(200_000)}}`],
      [4, `{"type":"call","id":4,"channel":"${'x'.repeat(101)}"}`],
      [5, '{"type":"call","id":5,"channel":42}'],
    ];
    for (const [, text] of unreadable) ws.send(text);
    for (const [id] of unreadable) {
      const answer = await answerTo(answers, id);
      expect(answer, `call ${id}`).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^Invalid request/) } });
    }
    expect(calls).toEqual([]);

    // A fractional id is answered under that id too (the page's own ids are whole numbers).
    ws.send('{"type":"call","id":6.5,"channel":"app:info"}');
    expect(await answerTo(answers, 6.5)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    // Still serving, and a normal call with image bytes still arrives as bytes.
    ws.send('{"type":"call","id":7,"channel":"app:info"}');
    expect(await answerTo(answers, 7)).toEqual({ ok: true, data: null });
    expect(calls).toEqual(['app:info']);
  });

  it('still turns tagged base64 back into bytes, as an own property even under "__proto__"', () => {
    const decoded = decodeWire('{"a":[{"__bytes_b64":"AAEC"}],"__proto__":{"__bytes_b64":"AwQ="}}') as Record<string, unknown>;
    expect(decoded.a).toEqual([new Uint8Array([0, 1, 2])]);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual(new Uint8Array([3, 4]));
  });
});
