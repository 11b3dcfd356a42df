// Which generator and preset new images use (saved as the defaults), with the price per model.
import { useId } from 'react';
import type { Preset } from '../../../../shared/domain';
import type { ModelSummary } from '../../../../shared/models';
import { Icon } from '../../components/Icon';
import { formatDateTime, formatUsd } from '../../lib/format';
import { PRESET_LABEL, PRESET_NAMES } from '../../lib/presets';
import { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID } from '../../../../shared/default-generator';
import { ModelOptions } from './ModelOptions';

export { OFFLINE_MODEL_ID };

export interface ModelChooserProps {
  models: ModelSummary[];
  endpoint: string;
  preset: Preset;
  keySet: boolean;
  /** The generator follows the key (nothing chosen yet): without one, Relief is used for now. */
  automatic: boolean;
  /** False while the queue banner already explains the missing key. */
  showKeyHint: boolean;
  onChange(choice: { endpoint?: string; preset?: Preset }): void;
  onSetKey(): void;
}


export function ModelChooser({ models, endpoint, preset, keySet, automatic, showKeyHint, onChange, onSetKey }: ModelChooserProps) {
  const selectId = useId();
  const presetName = useId();
  const model = models.find((m) => m.id === endpoint) ?? models[0];
  const price = model?.priceByPreset[preset] ?? null;
  const presetSummary = model?.presets.find((p) => p.name === preset)?.summary;
  const needsKey = showKeyHint && model?.provider === 'fal' && !keySet;
  const offlineForNow = showKeyHint && automatic && !keySet && model?.provider === 'offline';
  const aiLabel = models.find((m) => m.id === DEFAULT_MODEL_ID)?.label ?? 'the AI models';

  return (
    <section className="card chooser" aria-label="Generator">
      <div className="chooser-field">
        <div className="chooser-label-line">
          <label className="section-label" htmlFor={selectId}>
            Generator
          </label>
          {model?.provider === 'offline' && (
            <span className="chip chip-plain" data-testid="approximation-label" title="Made on this computer from the photo alone: not an AI reconstruction">
              Approximation
            </span>
          )}
        </div>
        <select
          id={selectId}
          className="select"
          value={model?.id ?? ''}
          onChange={(event) => onChange({ endpoint: event.target.value })}
          data-testid="model-select"
        >
          <ModelOptions models={models} />
        </select>
        {model && <p className="chooser-description muted">{model.description}</p>}
      </div>

      <fieldset className="chooser-field">
        <legend className="section-label">Quality</legend>
        <div className="segmented segmented-full">
          {PRESET_NAMES.map((name) => (
            <label key={name}>
              <input
                type="radio"
                name={presetName}
                value={name}
                checked={preset === name}
                onChange={() => onChange({ preset: name })}
              />
              {PRESET_LABEL[name]}
            </label>
          ))}
        </div>
        {presetSummary && <p className="inline-note">{presetSummary}</p>}
      </fieldset>

      <div className="chooser-price" data-testid="price-estimate">
        {price === null ? null : price === 0 ? (
          <>
            <strong>Free</strong>
            <span className="muted">runs on this computer</span>
          </>
        ) : (
          <>
            <strong>≈ {formatUsd(price)}</strong>
            <span className="muted" data-testid="price-basis">
              {model?.price?.source === 'fal' && model.price.asOf !== null
                ? `per model, FAL's price as of ${formatDateTime(model.price.asOf)}`
                : 'per model, built-in estimate (FAL prices not read yet)'}
            </span>
          </>
        )}
      </div>

      {offlineForNow && (
        <div className="chooser-hint chooser-hint-info" role="note" data-testid="offline-default-note">
          <Icon name="key" size={16} />
          <p>
            No FAL key yet, so new photos become quick offline approximations.{' '}
            <button type="button" className="link-button" onClick={onSetKey}>
              Add a key
            </button>{' '}
            and they use {aiLabel} instead.
          </p>
        </div>
      )}

      {needsKey && (
        <div className="chooser-hint" role="note">
          <Icon name="key" size={16} />
          <p>
            No FAL key yet, so jobs with this generator will wait.{' '}
            <button type="button" className="link-button" onClick={onSetKey}>
              Add a key
            </button>{' '}
            or{' '}
            <button type="button" className="link-button" onClick={() => onChange({ endpoint: OFFLINE_MODEL_ID })}>
              use the free offline generator
            </button>
            .
          </p>
        </div>
      )}
    </section>
  );
}
