// The user's settings, live via 'settings:changed'; update() saves a patch and returns the result.
// A change shows at once (an image added the next moment uses the generator just chosen), before the
// app's answer: what the app sends is shown with the changes it has not answered yet applied on top,
// and a change it refuses goes (the settings are read again).
import { useCallback, useEffect, useRef, useState } from 'react';
import { withPatch, type PageSettingsPatch, type Settings } from '../../../shared/settings';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';

export interface SettingsApi {
  settings: Settings | null;
  error: string | null;
  update(patch: PageSettingsPatch): Promise<Settings>;
}

export function useSettings(): SettingsApi {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Changes sent and not answered yet, in the order sent. */
  const pending = useRef(new Map<number, PageSettingsPatch>());
  const nextId = useRef(0);
  const fromApp = useCallback((next: Settings) => {
    let shown = next;
    for (const patch of pending.current.values()) shown = withPatch(shown, patch);
    setSettings(shown);
  }, []);
  useApiEvent('settings:changed', fromApp);
  useEffect(() => {
    call('settings:get').then(fromApp, (err: Error) => setError(err.message));
  }, [fromApp]);
  const update = useCallback(
    async (patch: PageSettingsPatch) => {
      const id = nextId.current++;
      pending.current.set(id, patch);
      setSettings((shown) => (shown ? withPatch(shown, patch) : shown));
      try {
        const next = await call('settings:set', patch);
        pending.current.delete(id);
        fromApp(next);
        return next;
      } catch (err) {
        pending.current.delete(id);
        // Refused (or not sent): what the app holds is shown again.
        call('settings:get').then(fromApp, () => undefined);
        throw err;
      }
    },
    [fromApp],
  );
  return { settings, error, update };
}
