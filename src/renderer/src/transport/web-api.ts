// `window.api` for a plain browser: the same contract over the loopback WebSocket bridge.
// The token comes from the page's URL fragment (#token=...), which is never sent to a server.
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from '../../../shared/channel-names';
import type { Api, EventListener, EventName } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { decodeWire, encodeWire, MAX_WIRE_MESSAGE_BYTES, utf8Length, type ServerMessage } from '../../../shared/wire';

/** The answer to a call too large for the bridge's socket, which would close on it (and fail every other call waiting on it). */
function tooLarge(bytes: number, limit: number): Result<unknown> {
  const mb = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;
  return {
    ok: false,
    error: {
      code: 'too_large',
      message: `This request is too large to send to the app (${mb(bytes)}; at most ${mb(limit)} at a time - images count a third more on the way). Add fewer or smaller images at a time.`,
    },
  };
}

export function createWebApi(token: string, origin: string, options: { maxMessageBytes?: number } = {}): Api {
  const maxMessageBytes = options.maxMessageBytes ?? MAX_WIRE_MESSAGE_BYTES;
  const socketUrl = `${origin.replace(/^http/, 'ws')}/bridge?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(socketUrl);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('The app server is not reachable.'));
      ws.onclose = (event) => {
        socket = null;
        ready = null;
        // 1009: a message was larger than the server takes (a server with a lower limit than this page's).
        const message = event.code === 1009 ? 'A request was too large for the app server, which closed the connection. Add fewer or smaller images at a time.' : 'Lost the connection to the app server.';
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error: { code: 'unreachable', message } });
        }
        // Reconnect so events keep flowing after a server restart.
        setTimeout(() => void connect().catch(() => {}), 1000);
      };
      ws.onmessage = (message) => {
        const data = decodeWire(String(message.data)) as ServerMessage;
        if (data.type === 'result') {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        } else if (data.type === 'event') {
          listeners.get(data.event)?.forEach((listener) => listener(data.payload));
        }
      };
    });
    return ready;
  };

  const call = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    let ws: WebSocket;
    try {
      ws = socket ?? (await connect());
    } catch (error) {
      return { ok: false, error: { code: 'unreachable', message: (error as Error).message } };
    }
    const id = nextId++;
    const text = encodeWire({ type: 'call', id, channel, input });
    // Counted only when it could be over (a UTF-16 unit is at most 3 bytes of UTF-8).
    if (text.length * 3 > maxMessageBytes) {
      const bytes = utf8Length(text);
      if (bytes > maxMessageBytes) return tooLarge(bytes, maxMessageBytes);
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(text);
    });
  };

  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAME_LIST) api[channel] = (input?: unknown) => call(channel, input);
  const knownEvents = new Set<string>(EVENT_NAME_LIST);
  api.on = <E extends EventName>(event: E, listener: EventListener<E>) => {
    if (!knownEvents.has(event)) throw new Error(`Unknown event "${String(event)}"`);
    const set = listeners.get(event) ?? new Set();
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    listeners.set(event, set);
    void connect().catch(() => {});
    return () => set.delete(wrapped);
  };
  return api as Api;
}
