// The only bridge between the page and the main process. It exposes one function per contract
// channel and a typed event subscription - never ipcRenderer itself, and never the IPC event object.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { Api, EventListener, EventName } from '../shared/contract';
import { CHANNEL_NAME_LIST, CHOSEN_PATH_CHANNEL, EVENT_CHANNEL_PREFIX, EVENT_NAME_LIST } from '../shared/channel-names';

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAME_LIST) {
  api[channel] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}
const knownEvents = new Set<string>(EVENT_NAME_LIST);
api.on = <E extends EventName>(event: E, listener: EventListener<E>) => {
  if (!knownEvents.has(event)) throw new Error(`Unknown event "${String(event)}"`);
  const wrapped = (_event: unknown, payload: Parameters<EventListener<E>>[0]) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL_PREFIX + event, wrapped);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL_PREFIX + event, wrapped);
  };
};

contextBridge.exposeInMainWorld('api', api as Api);

// Dropped files carry no path in modern Electron; the page asks for it here (Electron only). Only a
// file the user really dropped or picked has one, so main is told (synchronously, before the page can
// send it back) that this path was chosen by the user; any other path from the page is refused.
contextBridge.exposeInMainWorld('desktop', {
  pathForFile: (file: File): string | null => {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      return null;
    }
    if (!path) return null;
    return ipcRenderer.sendSync(CHOSEN_PATH_CHANNEL, path) === true ? path : null;
  },
});
