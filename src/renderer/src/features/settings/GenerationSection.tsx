// Defaults for new jobs and what happens around them: generator, preset, parallel jobs, export, alerts.
import { useId } from 'react';
import type { PageSettingsPatch } from '../../../../shared/settings';
import { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID } from '../../../../shared/default-generator';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { FolderChoice } from '../../components/FolderChoice';
import { ModelOptions } from '../drop/ModelOptions';
import { errorMessage } from '../../lib/errors';
import { formatUsd } from '../../lib/format';
import { PRESET_LABEL, PRESET_NAMES } from '../../lib/presets';
import { SettingRow } from './SettingRow';

/** The data folder's exports/ (where exports go unless another folder is chosen). */
function appExportsFolder(info: { dataDir: string; platform: string }): string {
  return `${info.dataDir}${info.platform === 'win32' ? '\\' : '/'}exports`;
}

export function GenerationSection() {
  const { settings, updateSettings, models, generator, toast, info } = useApp();
  const ids = { model: useId(), preset: useId(), concurrency: useId(), exportAfter: useId(), notify: useId() };
  const save = (patch: PageSettingsPatch) => updateSettings(patch).catch((err: unknown) => toast({ tone: 'error', text: errorMessage(err) }));
  const model = models.find((m) => m.id === generator);
  const automatic = !settings.defaultModelChosen;
  const labelOf = (id: string) => models.find((m) => m.id === id)?.label ?? id;
  // The folder is picked in the system's dialog; main remembers it, so only then may it be saved.
  const chooseOutputFolder = async () => {
    try {
      const { dir } = await call('export:chooseFolder', { startIn: settings.outputFolder || undefined });
      if (dir) await updateSettings({ outputFolder: dir });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  return (
    <section className="card settings-card" id="settings-generation" aria-labelledby="settings-generation-title">
      <div className="card-header">
        <h2 id="settings-generation-title">Generation</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow label="Default generator" htmlFor={ids.model} help={model ? `${automatic ? `${labelOf(DEFAULT_MODEL_ID)} with a FAL key, ${labelOf(OFFLINE_MODEL_ID)} without one. Now ${model.label}: ` : ''}${model.provider === 'offline' ? 'free, an approximation made on this computer' : `≈ ${formatUsd(model.priceByPreset[settings.defaultPreset])} per model with the ${PRESET_LABEL[settings.defaultPreset].toLowerCase()} preset`}.` : undefined}>
          <select
            id={ids.model}
            className="select"
            value={automatic ? '' : settings.defaultModel}
            onChange={(e) => void save(e.target.value === '' ? { defaultModelChosen: false } : { defaultModel: e.target.value })}
          >
            {/* Follows the key: Relief (an offline approximation) without one, Tripo v2.5 with one. */}
            <option value="">
              Automatic (follows the key)
            </option>
            <ModelOptions models={models} />
          </select>
        </SettingRow>
        <SettingRow label="Default quality" help={model?.presets.find((p) => p.name === settings.defaultPreset)?.summary}>
          <div className="segmented" role="radiogroup" aria-label="Default quality">
            {PRESET_NAMES.map((name) => (
              <label key={name}>
                <input type="radio" name={ids.preset} checked={settings.defaultPreset === name} onChange={() => void save({ defaultPreset: name })} />
                {PRESET_LABEL[name]}
              </label>
            ))}
          </div>
        </SettingRow>
        <SettingRow label="Jobs at the same time" htmlFor={ids.concurrency} help="How many jobs FAL works on at once (uploading the next photos and fetching finished models do not count). More finish sooner but use more of your FAL quota.">
          <select id={ids.concurrency} className="select select-narrow" value={settings.concurrency} onChange={(e) => void save({ concurrency: Number(e.target.value) })}>
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </SettingRow>
        <SettingRow label="Export after each model" htmlFor={ids.exportAfter} help="Also save every new GLB into the output folder.">
          <span className="switch">
            <input id={ids.exportAfter} type="checkbox" role="switch" checked={settings.exportAfterSuccess} onChange={(e) => void save({ exportAfterSuccess: e.target.checked })} />
            <span />
          </span>
        </SettingRow>
        <SettingRow label="Output folder" help="Where automatic exports go, and where the export studio starts. Default: the app’s exports folder.">
          <FolderChoice
            label="Output folder"
            folder={settings.outputFolder || appExportsFolder(info)}
            isDefault={!settings.outputFolder}
            onChoose={() => void chooseOutputFolder()}
            onUseDefault={() => void save({ outputFolder: null })}
          />
        </SettingRow>
        <SettingRow label="Notifications" htmlFor={ids.notify} help="Tell me when a batch finishes or needs attention while the app is in the background.">
          <span className="switch">
            <input id={ids.notify} type="checkbox" role="switch" checked={settings.notifications} onChange={(e) => void save({ notifications: e.target.checked })} />
            <span />
          </span>
        </SettingRow>
      </div>
    </section>
  );
}
