// The user's settings, live via 'settings:changed'; update() saves a patch and returns the result.
// A change shows at once (an image added the next moment uses the generator just chosen), before the
// app's answer (settings-sync.ts). A change it refuses goes at once - the last saved value shows again,
// even when reading the settings again fails too (then the error says so and what to do).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PageSettingsPatch, Settings } from '../../../shared/settings';
import { call } from '../api';
import { errorMessage } from '../lib/errors';
import { createSettingsSync, notSavedMessage } from './settings-sync';
import { useApiEvent } from './useApiEvent';

export interface SettingsApi {
  settings: Settings | null;
  error: string | null;
  update(patch: PageSettingsPatch): Promise<Settings>;
}

export function useSettings(): SettingsApi {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sync = useRef(createSettingsSync());
  const show = useCallback(() => setSettings(sync.current.shown()), []);
  const fromApp = useCallback(
    (next: Settings) => {
      sync.current.fromApp(next);
      show();
    },
    [show],
  );
  useApiEvent('settings:changed', fromApp);
  useEffect(() => {
    call('settings:get').then(fromApp, (err: Error) => setError(err.message));
  }, [fromApp]);
  const update = useCallback(
    async (patch: PageSettingsPatch) => {
      const id = sync.current.sent(patch);
      show();
      try {
        const next = await call('settings:set', patch);
        sync.current.settled(id);
        fromApp(next);
        return next;
      } catch (err) {
        // Refused (or not sent): the change goes at once, then what the app holds is read again.
        sync.current.settled(id);
        show();
        const readAgain = await call('settings:get').then(
          (next) => {
            fromApp(next);
            return true;
          },
          () => false,
        );
        if (readAgain) throw err;
        throw new Error(notSavedMessage(errorMessage(err)), { cause: err });
      }
    },
    [fromApp, show],
  );
  return { settings, error, update };
}
