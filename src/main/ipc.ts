// The only place that touches ipcMain: one handler per contract channel, each checking that the call
// comes from our own page before the shared dispatcher parses the input and calls the service.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAME_LIST, CHOSEN_PATH_CHANNEL, EVENT_CHANNEL_PREFIX } from '../shared/channel-names';
import type { EventSink } from '../shared/contract';
import type { Result } from '../shared/result';
import type { Dispatch } from '../core/ipc/dispatch';
import type { ChosenPaths } from '../core/chosen-paths';
import { isTrustedRendererUrl } from './security';

export const FORBIDDEN_SENDER: Result<never> = {
  ok: false,
  error: { code: 'forbidden_sender', message: 'This window is not allowed to use the app.' },
};

/** Only the top frame of our own page may call; subframes, other pages and destroyed frames are dropped. */
export function senderIsTrusted(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isTrustedRendererUrl(frame.url);
}

export function registerIpcHandlers(dispatch: Dispatch, onError?: (message: string, detail: unknown) => void): () => void {
  for (const channel of CHANNEL_NAME_LIST) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!senderIsTrusted(event)) return FORBIDDEN_SENDER;
      try {
        return await dispatch(channel, input);
      } catch (error) {
        // The dispatcher already turns handler errors into Results; this only guards against its own bugs.
        onError?.(`IPC ${channel} failed outside the dispatcher`, error);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong inside the app. Please try again.' } };
      }
    });
  }
  return () => CHANNEL_NAME_LIST.forEach((channel) => ipcMain.removeHandler(channel));
}

/**
 * The preload's report of a path the user dropped or picked (see CHOSEN_PATH_CHANNEL): recorded only
 * from our own page's top frame. Answers synchronously so the path is known before the page uses it.
 */
export function registerChosenPathChannel(chosen: ChosenPaths): () => void {
  const listener = (event: IpcMainEvent, path: unknown) => {
    const accepted = senderIsTrusted(event) && typeof path === 'string' && path.length > 0 && path.length <= 4096;
    if (accepted) chosen.add(path);
    event.returnValue = accepted;
  };
  ipcMain.on(CHOSEN_PATH_CHANNEL, listener);
  return () => ipcMain.removeListener(CHOSEN_PATH_CHANNEL, listener);
}

/** Sends contract events to the app window(s) showing our own page, and nowhere else. */
export function createEventSink(targets: () => WebContents[]): EventSink {
  return (event, payload) => {
    for (const contents of targets()) {
      if (contents.isDestroyed() || !isTrustedRendererUrl(contents.getURL())) continue;
      contents.send(EVENT_CHANNEL_PREFIX + event, payload);
    }
  };
}
