// The watched folder: new images put in a folder the user chose become jobs with the generator and
// quality chosen here. Images already there are never added (no surprise bill); the page says so.
import { useId, useState } from 'react';
import type { PageSettingsPatch } from '../../../../shared/settings';
import type { Preset } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { FolderChoice } from '../../components/FolderChoice';
import { Icon } from '../../components/Icon';
import { RefusedReason } from '../../components/RefusedReason';
import { useWatchStatus } from '../../hooks/useWatchStatus';
import { errorMessage } from '../../lib/errors';
import { formatUsd, plural } from '../../lib/format';
import { PRESET_LABEL, PRESET_NAMES } from '../../lib/presets';
import { ModelOptions } from '../drop/ModelOptions';
import { SettingRow } from './SettingRow';

export function WatchSection() {
  const { settings, updateSettings, models, generator, toast } = useApp();
  const { status, set } = useWatchStatus();
  const [busy, setBusy] = useState(false);
  const ids = { on: useId(), model: useId(), preset: useId() };
  const save = (patch: PageSettingsPatch) => updateSettings(patch).catch((err: unknown) => toast({ tone: 'error', text: errorMessage(err) }));
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  // The folder is picked in the system's dialog (main keeps it): the page never names one.
  const choose = () => act(async () => set(await call('watch:chooseFolder')));
  const turn = (enabled: boolean) => act(async () => set(await call('watch:setEnabled', { enabled })));

  const on = status !== null && status.state !== 'off';
  const folder = status?.folder ?? null;
  // One image per job, like a drop: generators that need several images are not offered.
  const single = models.filter((m) => m.images.min <= 1);
  const endpoint = settings.watchModel ?? generator;
  const preset: Preset = settings.watchPreset ?? settings.defaultPreset;
  const model = models.find((m) => m.id === endpoint);
  const defaultLabel = models.find((m) => m.id === generator)?.label ?? generator;
  // "Default" is named once in the choice; which quality that is now is said beside it, so the row
  // does not read "Default (Standard) | Draft | Standard | High".
  const presetSummary = model?.presets.find((p) => p.name === preset)?.summary;
  const qualityHelp =
    settings.watchPreset === null ? `Default follows the default quality under Generation, now ${PRESET_LABEL[settings.defaultPreset]}.` : presetSummary;

  return (
    <section className="card settings-card" id="settings-watch" aria-labelledby="settings-watch-title">
      <div className="card-header">
        <h2 id="settings-watch-title">Watched folder</h2>
      </div>
      <div className="card-body settings-body">
        <SettingRow
          label="Watch a folder"
          htmlFor={ids.on}
          help="Every new image put in the folder (or a folder inside it) becomes a job, like a drop. Images already in the folder are not added; drop them in to make them. Images put in the folder while the app is closed (copied or moved in) are added at its next start. A file saved again with new content is a new image; the same photo is never charged twice."
        >
          <span className="switch">
            <input
              id={ids.on}
              type="checkbox"
              role="switch"
              checked={on}
              disabled={busy || status === null}
              onChange={(e) => void (e.target.checked && !folder ? choose() : turn(e.target.checked))}
            />
            <span />
          </span>
        </SettingRow>
        <SettingRow label="Folder" help="Chosen in your system’s folder picker. The app’s data and export folders can’t be watched.">
          <FolderChoice label="Watched folder" folder={folder ?? 'No folder chosen'} isDefault={false} disabled={busy} onChoose={() => void choose()} />
        </SettingRow>
        {status && on && <WatchState status={status} />}
        <SettingRow
          label="Generator"
          htmlFor={ids.model}
          help={model ? (model.provider === 'offline' ? 'Free, an approximation made on this computer.' : `≈ ${formatUsd(model.priceByPreset[preset])} per image with the ${PRESET_LABEL[preset].toLowerCase()} quality. Jobs wait, like a drop, without a key or at the spending cap.`) : undefined}
        >
          <select id={ids.model} className="select" value={settings.watchModel ?? ''} onChange={(e) => void save({ watchModel: e.target.value || null })}>
            <option value="">Default generator ({defaultLabel})</option>
            <ModelOptions models={single} />
          </select>
        </SettingRow>
        <SettingRow label="Quality" help={qualityHelp}>
          <div className="segmented" role="radiogroup" aria-label="Watched folder quality">
            <label>
              <input type="radio" name={ids.preset} checked={settings.watchPreset === null} onChange={() => void save({ watchPreset: null })} />
              Default
            </label>
            {PRESET_NAMES.map((name) => (
              <label key={name}>
                <input type="radio" name={ids.preset} checked={settings.watchPreset === name} onChange={() => void save({ watchPreset: name })} />
                {PRESET_LABEL[name]}
              </label>
            ))}
          </div>
        </SettingRow>
      </div>
    </section>
  );
}

/** Watching or paused (and why), what it added, what is still being copied, and the files it refused. */
function WatchState({ status }: { status: NonNullable<ReturnType<typeof useWatchStatus>['status']> }) {
  return (
    <div className="watch-state" data-testid="watch-state" role="status">
      {status.problem ? (
        <div className="notice notice-warning">
          <Icon name="warning" size={16} />
          <span>{status.problem}</span>
        </div>
      ) : (
        <p className="inline-note">
          Watching. {status.taken > 0 ? `${plural(status.taken, 'new image')} added since the app started.` : 'New images will appear in the queue.'}
          {status.alreadyMade > 0 && ` ${status.alreadyMade === 1 ? '1 was' : `${status.alreadyMade} were`} already made with these settings, so nothing was charged.`}
          {status.waiting > 0 && ` Waiting for ${plural(status.waiting, 'file')} still being copied.`}
        </p>
      )}
      {status.refused.length > 0 && (
        <ul className="intake-list" aria-label="Not added from the watched folder">
          {status.refused.map((item, index) => (
            <li key={`${item.input}-${index}`} className="intake-rejected">
              <RefusedReason input={item.input} reason={item.reason} />
            </li>
          ))}
        </ul>
      )}
      {status.refused.length > 0 && <p className="inline-note">A file not added is tried again when it changes (a copy that finishes, a file saved again).</p>}
    </div>
  );
}
