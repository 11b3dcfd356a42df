// The studio's preset column: the presets to choose from (built in, or the user's own), and saving the
// recipe on screen as a preset, using the chosen one for new models, or deleting one of the user's own.
import { PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS, type ExportPreset } from '../../../../shared/export-recipe';
import { useEffect, useRef } from 'react';
import { cutText } from '../../../../shared/text-cut';
import { Icon } from '../../components/Icon';
import { focusVisibly } from '../../lib/focus';

export interface PresetListProps {
  /** undefined while the list loads. */
  presets: readonly ExportPreset[] | undefined;
  presetId: string;
  /** The chosen preset (null while the list loads). */
  preset: ExportPreset | null;
  busy: boolean;
  /** There is a recipe on screen to save. */
  hasRecipe: boolean;
  /** The recipe's real size is out of range: it is not saved. */
  invalid: boolean;
  /** The recipe on screen differs from the chosen preset's. */
  modified: boolean;
  /** The name being typed for a new preset; null: the form is closed. */
  saving: string | null;
  onSavingChange(name: string): void;
  onChoose(id: string): void;
  onSave(): void;
  onUseForNew(): void;
  onDelete(preset: ExportPreset): void;
}

export function PresetList({ presets, presetId, preset, busy, hasRecipe, invalid, modified, saving, onSavingChange, onChoose, onSave, onUseForNew, onDelete }: PresetListProps) {
  // The studio opens on the chosen preset. The dialog focuses its first control as it opens, and while
  // the presets load that was "Use for new models" (Enter there changes what every new model does).
  const chosenRef = useRef<HTMLButtonElement>(null);
  const loaded = presets !== undefined;
  useEffect(() => {
    const focused = document.activeElement;
    // Once, when the list is there; not from under a field the user is already typing in.
    if (!loaded || focused instanceof HTMLInputElement || focused instanceof HTMLSelectElement) return;
    focusVisibly(chosenRef.current);
  }, [loaded]);
  return (
    <div className="xs-presets" role="radiogroup" aria-label="Presets">
      {(presets ?? []).map((p) => (
        <button
          key={p.id}
          type="button"
          role="radio"
          ref={p.id === presetId ? chosenRef : undefined}
          aria-checked={p.id === presetId}
          className={`xs-preset${p.id === presetId ? ' is-active' : ''}`}
          onClick={() => onChoose(p.id)}
          disabled={busy}
        >
          <span className="xs-preset-label">
            {p.label}
            {!p.builtIn && <span className="xs-own">yours</span>}
          </span>
          {p.id === presetId && <span className="xs-preset-text">{p.description}</span>}
        </button>
      ))}
      <div className="xs-preset-actions">
        {saving === null ? (
          <button type="button" className="button button-ghost button-small" onClick={() => onSavingChange('')} disabled={busy || !hasRecipe || invalid}>
            <Icon name="edit" size={15} />
            Save as preset…
          </button>
        ) : (
          <form
            className="xs-save"
            onSubmit={(e) => {
              e.preventDefault();
              onSave();
            }}
          >
            <input
              className="input"
              autoFocus
              placeholder="Preset name"
              aria-label="Preset name"
              value={saving}
              disabled={busy}
              onChange={(e) => onSavingChange(cutText(e.target.value, PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS))}
            />
            <button type="submit" className="button button-small" disabled={busy || !saving.trim() || invalid}>
              Save
            </button>
          </form>
        )}
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={onUseForNew}
          disabled={busy || modified}
          title={modified && !busy ? 'Save your changes as a preset first' : undefined}
        >
          <Icon name="sparkles" size={15} />
          Use for new models
        </button>
        {preset && !preset.builtIn && (
          <button type="button" className="button button-ghost button-small" onClick={() => onDelete(preset)} disabled={busy}>
            <Icon name="trash" size={15} />
            Delete this preset
          </button>
        )}
      </div>
    </div>
  );
}
