// IPC registration: every contract channel is handled, and only the top frame of our own page gets
// through to the dispatcher (electron mocked; the dispatcher is a spy).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAME_LIST, CHOSEN_PATH_CHANNEL, EVENT_CHANNEL_PREFIX } from '../../src/shared/channel-names';
import { createChosenPaths } from '../../src/core/chosen-paths';
import type { Dispatch } from '../../src/core/ipc/dispatch';
import { fake, FakeWebContents } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { registerIpcHandlers, registerChosenPathChannel, createEventSink, senderIsTrusted } = await import('../../src/main/ipc');
const { RENDERER_URL } = await import('../../src/main/protocol');

const OWN_PAGE = RENDERER_URL;
type Frame = { url: string; parent: Frame | null } | null;
const eventFrom = (senderFrame: Frame) => ({ senderFrame }) as unknown as Electron.IpcMainInvokeEvent;
const topFrame = (url: string): Frame => ({ url, parent: null });

let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

function register() {
  const dispatch = vi.fn<Dispatch>(async (channel) => ({ ok: true, data: { channel } }));
  unregister = registerIpcHandlers(dispatch);
  const call = (channel: string, event: Electron.IpcMainInvokeEvent, input?: unknown) => {
    const handler = fake.ipcHandlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, input) as unknown as Promise<unknown>;
  };
  return { dispatch, call };
}

describe('registerIpcHandlers', () => {
  it('handles exactly the contract channels and removes them again', () => {
    register();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAME_LIST].sort());
    unregister!();
    unregister = null;
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it('passes calls from the top frame of our page to the dispatcher', async () => {
    const { dispatch, call } = register();
    const result = await call('jobs:cancel', eventFrom(topFrame(OWN_PAGE)), { id: 'abc' });
    expect(result).toEqual({ ok: true, data: { channel: 'jobs:cancel' } });
    expect(dispatch).toHaveBeenCalledWith('jobs:cancel', { id: 'abc' });
  });

  it('rejects foreign pages, subframes and vanished frames on every channel without dispatching', async () => {
    const { dispatch, call } = register();
    const senders: [string, Frame][] = [
      ['foreign origin', topFrame('https://evil.example/')],
      ['another local file', topFrame('file:///tmp/evil.html')],
      ['subframe of our page', { url: OWN_PAGE, parent: topFrame(OWN_PAGE) }],
      ['frame gone', null],
    ];
    for (const channel of CHANNEL_NAME_LIST) {
      for (const [label, frame] of senders) {
        const result = await call(channel, eventFrom(frame), {});
        expect(result, `${channel} / ${label}`).toEqual({
          ok: false,
          error: { code: 'forbidden_sender', message: expect.any(String) },
        });
      }
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a dispatcher crash into an internal error Result', async () => {
    const errors: unknown[] = [];
    unregister = registerIpcHandlers(
      async () => {
        throw new Error('boom');
      },
      (_m, detail) => errors.push(detail),
    );
    const result = await (fake.ipcHandlers.get('app:info')!(eventFrom(topFrame(OWN_PAGE))) as unknown as Promise<unknown>);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(errors).toHaveLength(1);
  });

  it('senderIsTrusted is false for a missing frame', () => {
    expect(senderIsTrusted(eventFrom(null))).toBe(false);
  });
});

describe('registerChosenPathChannel (the preload reports a path the user dropped)', () => {
  const report = (senderFrame: Frame, path: unknown) => {
    const event = { senderFrame, returnValue: undefined as unknown };
    fake.ipcListeners.get(CHOSEN_PATH_CHANNEL)!(event, path);
    return event.returnValue;
  };

  it('records the path from our own page and answers at once (sendSync)', () => {
    const chosen = createChosenPaths();
    const stop = registerChosenPathChannel(chosen);
    expect(report(topFrame(OWN_PAGE), '/home/me/photo.png')).toBe(true);
    expect(chosen.has('/home/me/photo.png')).toBe(true);
    stop();
    expect(fake.ipcListeners.has(CHOSEN_PATH_CHANNEL)).toBe(false);
  });

  it('records nothing from foreign pages, subframes or with a non-path', () => {
    const chosen = createChosenPaths();
    const stop = registerChosenPathChannel(chosen);
    expect(report(topFrame('https://evil.example/'), '/etc/passwd')).toBe(false);
    expect(report({ url: OWN_PAGE, parent: topFrame(OWN_PAGE) }, '/etc/shadow')).toBe(false);
    expect(report(topFrame(OWN_PAGE), { path: '/etc/hosts' })).toBe(false);
    expect(report(topFrame(OWN_PAGE), 'x'.repeat(5000))).toBe(false);
    expect(['/etc/passwd', '/etc/shadow', '/etc/hosts'].some((p) => chosen.has(p))).toBe(false);
    stop();
  });
});

describe('createEventSink', () => {
  it('sends events with the prefix only to live contents showing our page', () => {
    const ours = Object.assign(new FakeWebContents(), { url: OWN_PAGE });
    const foreign = Object.assign(new FakeWebContents(), { url: 'https://evil.example/' });
    const dead = Object.assign(new FakeWebContents(), { url: OWN_PAGE, destroyed: true });
    const emit = createEventSink(() => [ours, foreign, dead] as unknown as Electron.WebContents[]);
    emit('app:command', { command: 'open-images' });
    expect(ours.sent).toEqual([{ channel: `${EVENT_CHANNEL_PREFIX}app:command`, payload: { command: 'open-images' } }]);
    expect(foreign.sent).toEqual([]);
    expect(dead.sent).toEqual([]);
  });
});
