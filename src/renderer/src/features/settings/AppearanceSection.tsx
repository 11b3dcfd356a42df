// Theme: follow the system, or always light / always dark.
import { useId } from 'react';
import type { Settings } from '../../../../shared/settings';
import { useApp } from '../../app-context';
import { Icon, type IconName } from '../../components/Icon';
import { errorMessage } from '../../lib/errors';
import { SettingRow } from './SettingRow';

const THEMES: { value: Settings['theme']; label: string; icon: IconName }[] = [
  { value: 'system', label: 'System', icon: 'monitor' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
];

export function AppearanceSection() {
  const { settings, updateSettings, toast } = useApp();
  const name = useId();
  const choose = (theme: Settings['theme']) => updateSettings({ theme }).catch((err: unknown) => toast({ tone: 'error', text: errorMessage(err) }));
  return (
    <section className="card settings-card" id="settings-appearance" aria-labelledby="settings-appearance-title">
      <div className="card-header">
        <h2 id="settings-appearance-title">Appearance</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow label="Theme" help="System follows your computer’s light or dark mode.">
          <div className="segmented" role="radiogroup" aria-label="Theme">
            {THEMES.map((theme) => (
              <label key={theme.value}>
                <input type="radio" name={name} checked={settings.theme === theme.value} onChange={() => void choose(theme.value)} />
                <Icon name={theme.icon} size={15} />
                {theme.label}
              </label>
            ))}
          </div>
        </SettingRow>
      </div>
    </section>
  );
}
