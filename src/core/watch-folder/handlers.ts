// The watched folder's IPC handlers. The folder comes from the platform's folder picker, never from
// the page (the page could name any folder and have its images uploaded).
import type { Handlers } from '../../shared/contract';
import type { Platform } from '../platform';
import type { SettingsStore } from '../services-types';
import type { FolderWatch } from '.';

export function watchHandlers(deps: {
  watch: FolderWatch;
  platform: Pick<Platform, 'chooseFolder'>;
  settings: SettingsStore;
}): Pick<Handlers, 'watch:status' | 'watch:chooseFolder' | 'watch:setEnabled'> {
  const { watch, platform, settings } = deps;
  return {
    'watch:status': async () => watch.status(),
    'watch:chooseFolder': async () => {
      const dir = await platform.chooseFolder(settings.get().watchFolder ?? undefined, 'Choose the folder to watch');
      return dir ? watch.turnOn(dir) : watch.status();
    },
    'watch:setEnabled': async ({ enabled }) => (enabled ? watch.turnOn() : watch.turnOff()),
  };
}
