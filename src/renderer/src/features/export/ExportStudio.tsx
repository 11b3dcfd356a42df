// The export studio: pick a preset (built in or your own), tweak its knobs, see the result's figures
// and a preview next to the original, then write it - for one model or a whole selection/search.
// Its parts: the plan and preview (use-plan.ts), a batch's run (use-batch-run.ts), the footer
// (StudioFooter.tsx), the presets (PresetList.tsx, use-presets.ts), the knobs (RecipeForm.tsx).
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { realSizeProblem, type ExportPreset, type ExportRecipe } from '../../../../shared/export-recipe';
import type { LibraryModel } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { Dialog } from '../../components/Dialog';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useResolvedTheme } from '../../hooks/useTheme';
import { errorMessage } from '../../lib/errors';
import { exportFailedText } from '../../lib/export-failed';
import { fileUrl } from '../../lib/files';
import { plural } from '../../lib/format';
import { BatchExportResult } from './BatchExportResult';
import { ModelExportResult } from './ModelExportResult';
import { PresetList } from './PresetList';
import { StudioFooter } from './StudioFooter';
import { useBatchRun } from './use-batch-run';
import { usePlan } from './use-plan';
import { usePresets } from './use-presets';
import { RecipeForm } from './RecipeForm';
import './export.css';

export type ExportTarget =
  | { kind: 'model'; model: LibraryModel }
  /** Several models: by id, or (ids null) every match of a library search. */
  | { kind: 'batch'; ids: string[] | null; query: string; count: number };

const sameRecipe = (a: ExportRecipe, b: ExportRecipe) => JSON.stringify(a) === JSON.stringify(b);

export function ExportStudio({ target, onClose }: { target: ExportTarget; onClose(): void }) {
  const { info, toast } = useApp();
  const { presets, defaultDir, problem, reload } = usePresets();
  const [presetId, setPresetId] = useState('blender');
  const [recipe, setRecipe] = useState<ExportRecipe | null>(null);
  /** A folder picked in the system's dialog; null: the default (Settings' output folder or the app's). */
  const [dir, setDir] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);
  /** The chosen preset was deleted elsewhere (the CLI): said until another is chosen or saved. */
  const [gone, setGone] = useState<string | null>(null);
  const batch = useBatchRun();
  // The previews hide the viewer's toolbar (and its backdrop toggle), so they follow the app's theme.
  const theme = useResolvedTheme();

  const preset = presets?.find((p) => p.id === presetId) ?? null;
  const current = recipe ?? preset?.recipe ?? null;
  const modified = Boolean(preset && current && !sameRecipe(preset.recipe, current));
  // A real size out of range (RecipeForm says why): nothing is planned, exported or saved with it.
  const invalid = current?.realSize ? realSizeProblem(current.realSize) !== null : false;
  const folder = dir ?? defaultDir ?? '';

  const choosePreset = (id: string) => {
    setPresetId(id);
    setRecipe(null);
    setGone(null);
  };

  // The presets file may change while the studio is open (the CLI's --delete-preset or --save-preset):
  // the core says so within a second ('presets:changed', from its change watch) and the list is read
  // again, as it is when the window is back in front. A chosen preset deleted there is not shown (or
  // saved again) as if it were still there: the studio goes to Blender with the recipe on screen kept,
  // which Save as preset… saves as a new preset. One the studio deleted itself is not news.
  const deletedHere = useRef(new Set<string>());
  const readAgain = () => {
    void reload().then(
      (next) => {
        if (!preset || deletedHere.current.has(preset.id) || next.presets.some((p) => p.id === preset.id)) return;
        setPresetId('blender');
        setRecipe(current);
        // Said in the studio, where it stays (a toast would fade).
        setGone(`The preset “${preset.label}” was deleted outside the studio. Its settings are still here: Save as preset… keeps them.`);
      },
      () => undefined,
    );
  };
  useApiEvent('presets:changed', readAgain);
  const onBackInFront = useEffectEvent(readAgain);
  useEffect(() => {
    const onFocus = () => onBackInFront();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  const { working, shown, ready, failed } = usePlan(target.kind === 'model' ? target.model.id : null, presetId, current, invalid);

  const run = async () => {
    if (!current) return;
    setBusy(true);
    try {
      if (target.kind === 'model') {
        const { files } = await call('export:run', { id: target.model.id, recipe: current, presetId, dir: dir ?? undefined });
        toast({ tone: 'success', text: `Exported ${plural(files.length, 'file')} to ${folder}` });
        onClose();
        return;
      }
      await batch.start({ ids: target.ids, query: target.query, count: target.count, recipe: current, presetId, dir: dir ?? undefined });
    } catch (err) {
      toast({ tone: 'error', text: exportFailedText(errorMessage(err)) });
    } finally {
      setBusy(false);
    }
  };

  const savePreset = async () => {
    if (!current || !saving?.trim()) return;
    try {
      const saved = await call('export:savePreset', { label: saving.trim(), description: preset ? `Based on ${preset.label}` : '', recipe: current });
      await reload();
      choosePreset(saved.id);
      setSaving(null);
      toast({ tone: 'success', text: `Saved the preset “${saved.label}”.` });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  // The user's own presets are capped (MAX_SAVED_PRESETS): deleting one is how room is made.
  const deletePreset = async (target: ExportPreset) => {
    try {
      deletedHere.current.add(target.id);
      await call('export:deletePreset', { id: target.id });
      await reload();
      choosePreset('blender');
      toast({ tone: 'success', text: `Deleted the preset “${target.label}”.` });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  const chooseFolder = async () => {
    try {
      const { dir: chosen } = await call('export:chooseFolder', { startIn: folder || undefined });
      if (chosen) setDir(chosen);
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  const applyToNewModels = async () => {
    try {
      await call('settings:set', { autoExportPreset: presetId, exportAfterSuccess: true });
      toast({ tone: 'success', text: `New models will be exported with “${preset?.label ?? presetId}”.` });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  const title = target.kind === 'model' ? `Export “${target.model.name}”` : `Export ${plural(target.count, 'model')}`;
  const originalUrl = useMemo(() => (target.kind === 'model' ? fileUrl(info.fileBaseUrl, 'model', target.model.id) : null), [info.fileBaseUrl, target]);
  const batchRunning = target.kind === 'batch' && busy;
  /** Running, or just ended (the hold): the Stop button's place is not Close yet. */
  const stopShown = batchRunning || batch.ended !== null;

  return (
    <Dialog
      title={title}
      onClose={() => !stopShown && onClose()}
      className="dialog-export"
      footer={
        <StudioFooter
          folder={folder}
          isDefault={dir === null}
          busy={busy}
          batchRunning={batchRunning}
          stopShown={stopShown}
          stopping={batch.stopping}
          ended={batch.ended}
          finished={batch.summary !== null}
          canExport={!(busy || batch.ended !== null || !current || invalid || (target.kind === 'model' && (working || !ready)))}
          exportLabel={target.kind === 'model' ? 'Export' : `Export ${plural(target.count, 'model')}`}
          onChooseFolder={() => void chooseFolder()}
          onUseDefaultFolder={() => setDir(null)}
          onStop={batch.cancel}
          onClose={onClose}
          onExport={() => void run()}
        />
      }
    >
      {problem && <p className="inline-error">{problem}</p>}
      {gone && (
        <p className="inline-note" role="status">
          {gone}
        </p>
      )}
      <div className={`xs-layout${target.kind === 'batch' ? ' is-batch' : ''}`}>
        <PresetList
          presets={presets}
          presetId={presetId}
          preset={preset}
          busy={busy}
          hasRecipe={Boolean(current)}
          invalid={invalid}
          modified={modified}
          saving={saving}
          onSavingChange={setSaving}
          onChoose={choosePreset}
          onSave={() => void savePreset()}
          onUseForNew={() => void applyToNewModels()}
          onDelete={(p) => void deletePreset(p)}
        />

        <div className="xs-knobs">
          {/* While an export runs it keeps the recipe it started with: the settings are locked (and
              look it) until it ends, so what they say is what is being exported. */}
          <fieldset className="xs-lock" disabled={busy} aria-label="Recipe settings">
            {current && <RecipeForm key={presetId} recipe={current} onChange={setRecipe} />}
          </fieldset>
        </div>

        {target.kind === 'model' ? (
          <ModelExportResult originalUrl={originalUrl} shown={shown} working={working} failed={failed} invalid={invalid} backdrop={theme} />
        ) : (
          <BatchExportResult target={target} presetLabel={preset?.label ?? presetId} modified={modified} running={batchRunning} progress={batch.progress} summary={batch.summary} />
        )}
      </div>
    </Dialog>
  );
}
