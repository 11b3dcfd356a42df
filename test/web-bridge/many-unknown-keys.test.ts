// The browser transport carries the same flood as IPC: one call with 200,000 unknown option keys. The
// bridge hands the call to the shared dispatcher, which refuses it with a short answer naming a few keys
// (it used to reach the handler, where checking each name took seconds and the answer was megabytes).
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebApi } from '../../src/renderer/src/transport/web-api';
import type { Handlers } from '../../src/shared/contract';
import { createDispatcher } from '../../src/core/ipc/dispatch';
import { startBridge, type Bridge } from '../../src/web-bridge/server';

let bridge: Bridge | null = null;
const realWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
afterEach(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = realWebSocket;
  await bridge?.close();
  bridge = null;
});

it('a jobs:add call with 200,000 unknown option keys is refused in a short answer, and the socket carries on', async () => {
  const handled: unknown[] = [];
  const handlers = {
    'jobs:add': async (input: unknown) => {
      handled.push(input);
      return { added: [], rejected: [], duplicates: [] };
    },
  };
  bridge = await startBridge({ resolveFile: () => null, dispatch: createDispatcher(handlers as unknown as Handlers) });
  const origin = bridge.origin;
  // The page's WebSocket, from its own origin (ws stands in for the browser's).
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
  const api = createWebApi(bridge.token, bridge.origin) as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
  const item = { kind: 'path', path: '/photos/a.png' };

  const options = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
  const flood = (await api['jobs:add']!({ items: [item], options })) as { ok: boolean; error?: { code: string; message: string } };
  expect(flood).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(flood.error!.message.length).toBeLessThan(2048);
  expect(flood.error!.message).toMatch(/options.*"k0", "k1", "k2" and 199,997 more/);
  expect(handled).toEqual([]);

  // An ordinary call on the same socket still reaches the handler.
  expect(await api['jobs:add']!({ items: [item], options: { seed: 7 } })).toMatchObject({ ok: true });
  expect(handled).toEqual([{ items: [item], options: { seed: 7 } }]);
});
