// Several dropped images: make one model from them (views or order arranged here) or one model
// each. The set is checked with the same rule the app applies before sending it.
import { useEffect, useId, useMemo, useState } from 'react';
import type { Preset } from '../../../../shared/domain';
import { inputSetProblem, setDisplayName } from '../../../../shared/input-roles';
import type { ModelSummary } from '../../../../shared/models';
import { Icon } from '../../components/Icon';
import { formatUsd, plural } from '../../lib/format';
import type { SetFile } from '../drop/useImageIntake';
import { OrderedSet } from './OrderedSet';
import { initialDraft, membersOf, type SetDraft } from './set-draft';
import { ViewSlots } from './ViewSlots';

export interface SetImage {
  key: string;
  file: File;
  url: string;
}

export interface SetComposerProps {
  files: File[];
  models: ModelSummary[];
  /** The generator chosen beside the drop zone (used when it takes several images). */
  endpoint: string;
  preset: Preset;
  busy: boolean;
  onMakeSet(members: SetFile[], endpoint: string): void;
  onMakeEach(): void;
  onCancel(): void;
}

/** Object URLs for the thumbnails, freed when the composer goes. */
function useSetImages(files: File[]): SetImage[] {
  const images = useMemo(() => files.map((file, i) => ({ key: `${i}`, file, url: URL.createObjectURL(file) })), [files]);
  useEffect(() => () => images.forEach((image) => URL.revokeObjectURL(image.url)), [images]);
  return images;
}

export function SetComposer({ files, models, endpoint, preset, busy, onMakeSet, onMakeEach, onCancel }: SetComposerProps) {
  const images = useSetImages(files);
  const multi = models.filter((m) => m.images.max > 1);
  const [modelId, setModelId] = useState(() => (multi.some((m) => m.id === endpoint) ? endpoint : (multi[0]?.id ?? endpoint)));
  const [mode, setMode] = useState<'set' | 'each'>('set');
  const [draft, setDraft] = useState<SetDraft>(() => initialDraft(images.map((image) => ({ key: image.key, name: image.file.name }))));
  const selectId = useId();
  const modeName = useId();

  const model = multi.find((m) => m.id === modelId) ?? null;
  const views = model?.views ?? null;
  const members = membersOf(draft, views);
  const problem = model ? inputSetProblem(model, members.map((m) => m.role)) : 'Choose a generator that takes several images.';
  const price = model?.priceByPreset[preset] ?? null;
  const byKey = new Map(images.map((image) => [image.key, image]));
  const name = setDisplayName(members.map((m) => byKey.get(m.key)?.file.name ?? ''));

  const make = () => {
    if (!model || problem) return;
    onMakeSet(members.map((m) => ({ file: byKey.get(m.key)!.file, role: m.role })), model.id);
  };

  return (
    <section className="card set-composer" aria-label="Several images" data-testid="set-composer">
      <div className="set-head">
        <div>
          <h2>{plural(files.length, 'image')} dropped</h2>
          <p className="muted">Photos of one object from several sides make one, more faithful model.</p>
        </div>
        <button type="button" className="icon-button" aria-label="Put these images away" onClick={onCancel}>
          <Icon name="close" size={16} />
        </button>
      </div>

      <div className="segmented" role="radiogroup" aria-label="What to make">
        <label>
          <input type="radio" name={modeName} checked={mode === 'set'} onChange={() => setMode('set')} />
          One model from these
        </label>
        <label>
          <input type="radio" name={modeName} checked={mode === 'each'} onChange={() => setMode('each')} />
          One model each
        </label>
      </div>

      {mode === 'each' ? (
        <>
          <ul className="intake-thumbs" aria-label="Images">
            {images.map((image) => (
              <li key={image.key} title={image.file.name}>
                <div className="thumb" style={{ width: 56, height: 56 }}>
                  <img src={image.url} alt={image.file.name} draggable={false} />
                </div>
              </li>
            ))}
          </ul>
          <div className="set-footer">
            <p className="muted">Each image becomes its own job with the generator chosen above.</p>
            <div className="button-group">
              <button type="button" className="button button-ghost" onClick={onCancel}>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={onMakeEach} disabled={busy}>
                Make {plural(files.length, 'model')}
              </button>
            </div>
          </div>
        </>
      ) : (
        <>
          <div className="set-model">
            <label className="section-label" htmlFor={selectId}>
              Generator
            </label>
            <select id={selectId} className="select" value={modelId} onChange={(e) => setModelId(e.target.value)} data-testid="set-model-select">
              {multi.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label} ({m.views ? `views: ${m.views.join(', ')}` : `${m.images.min}-${m.images.max} images in order`})
                </option>
              ))}
            </select>
          </div>

          {views ? (
            <ViewSlots views={views} images={images} draft={draft} onChange={setDraft} />
          ) : (
            <OrderedSet images={images} draft={draft} onChange={setDraft} />
          )}

          <div className="set-footer">
            <div className="set-summary" data-testid="set-estimate">
              {problem ? (
                <p className="set-problem" role="alert">
                  <Icon name="warning" size={15} /> {problem}
                </p>
              ) : (
                <p>
                  <strong>{name}</strong> <span className="muted">from {plural(members.length, 'image')}</span>
                  {price !== null && <span className="set-price">{price === 0 ? 'Free' : `≈ ${formatUsd(price)}`}</span>}
                </p>
              )}
            </div>
            <div className="button-group">
              <button type="button" className="button button-ghost" onClick={onCancel}>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={make} disabled={busy || problem !== null} data-testid="make-set">
                <Icon name="sparkles" size={16} />
                Make one model
              </button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
