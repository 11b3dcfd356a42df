// `window.api` for a plain browser: the same contract over the loopback WebSocket bridge.
// The token comes from the page's URL fragment (#token=...), which is never sent to a server.
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from '../../../shared/channel-names';
import type { Api, EventListener, EventName } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { decodeWire, encodeWire, type ServerMessage } from '../../../shared/wire';

export function createWebApi(token: string, origin = window.location.origin): Api {
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
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error: { code: 'unreachable', message: 'Lost the connection to the app server.' } });
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
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(encodeWire({ type: 'call', id, channel, input }));
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
