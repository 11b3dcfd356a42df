// Rarely changed: a proxy in front of FAL (companies, or a local test server).
import { useId } from 'react';
import { useApp } from '../../app-context';
import { SettingRow } from './SettingRow';
import { TextSetting } from './TextSetting';

export function AdvancedSection() {
  const { settings, updateSettings } = useApp();
  const proxyId = useId();
  return (
    <section className="card settings-card" id="settings-advanced" aria-labelledby="settings-advanced-title">
      <div className="card-header">
        <h2 id="settings-advanced-title">Network</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow label="FAL proxy URL" htmlFor={proxyId} help="Send FAL requests through this server instead of directly. Leave empty to talk to FAL.">
          <TextSetting
            id={proxyId}
            value={settings.falProxyUrl ?? ''}
            placeholder="https://proxy.example.com/fal"
            inputMode="url"
            validate={(text) => (text === '' || /^https?:\/\/\S+$/i.test(text) ? null : 'Enter a full address starting with https:// (or http://).')}
            save={(text) => updateSettings({ falProxyUrl: text || null })}
          />
        </SettingRow>
      </div>
    </section>
  );
}
