// The user's settings, live via 'settings:changed'; update() saves a patch and returns the result.
import { useCallback, useEffect, useState } from 'react';
import type { Settings, PageSettingsPatch } from '../../../shared/settings';
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
  useApiEvent('settings:changed', setSettings);
  useEffect(() => {
    call('settings:get').then(setSettings, (err: Error) => setError(err.message));
  }, []);
  const update = useCallback(async (patch: PageSettingsPatch) => {
    const next = await call('settings:set', patch);
    setSettings(next);
    return next;
  }, []);
  return { settings, error, update };
}
