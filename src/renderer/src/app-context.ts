// What every view needs and nothing else: app info, settings, the model catalog, navigation, toasts.
import { createContext, useContext } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { ModelSummary } from '../../shared/models';
import type { Settings, PageSettingsPatch } from '../../shared/settings';

export type View = 'create' | 'library' | 'settings' | 'stats';

export interface NavigateOptions {
  /** Library: open this model. Settings: scroll to this section id. */
  focus?: string;
}

export interface ToastInput {
  tone?: 'info' | 'success' | 'error';
  text: string;
  action?: { label: string; run: () => void };
}

export interface AppContextValue {
  info: AppInfo;
  settings: Settings;
  updateSettings(patch: PageSettingsPatch): Promise<Settings>;
  models: ModelSummary[];
  /** The generator new images use now: the chosen one, else Relief without a key and Tripo v2.5 with one. */
  generator: string;
  /** A FAL key is set. */
  hasKey: boolean;
  modelLabel(endpoint: string): string;
  navigate(view: View, options?: NavigateOptions): void;
  toast(input: ToastInput): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp must be used inside <AppContext>');
  return value;
}
