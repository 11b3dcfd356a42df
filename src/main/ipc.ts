// The only place that touches ipcMain: one handler per contract channel, each checking that the call
// comes from our own page before the shared dispatcher parses the input and calls the service.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAME_LIST, EVENT_CHANNEL_PREFIX } from '../shared/channel-names';
import type { EventSink } from '../shared/contract';
import type { Dispatch } from '../core/ipc/dispatch';
import { isTrustedRendererUrl } from './security';

function senderIsTrusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  // Only the top frame of our own page may call; subframes and foreign origins are dropped.
  return frame !== null && frame.parent === null && isTrustedRendererUrl(frame.url);
}

export function registerIpcHandlers(dispatch: Dispatch): () => void {
  for (const channel of CHANNEL_NAME_LIST) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!senderIsTrusted(event)) {
        return { ok: false, error: { code: 'forbidden_sender', message: 'This window is not allowed to use the app.' } };
      }
      return dispatch(channel, input);
    });
  }
  return () => CHANNEL_NAME_LIST.forEach((channel) => ipcMain.removeHandler(channel));
}

/** Sends contract events to the app window(s). */
export function createEventSink(targets: () => WebContents[]): EventSink {
  return (event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL_PREFIX + event, payload);
    }
  };
}
