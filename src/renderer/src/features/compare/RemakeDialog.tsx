// "Make with another generator": queues the photo a model was made from with another generator and
// preset (the usual intake: checks, duplicate detection, estimate), so the two can be compared.
import { useId, useState } from 'react';
import type { LibraryModel, Preset } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { Dialog } from '../../components/Dialog';
import { errorMessage } from '../../lib/errors';
import { formatUsd } from '../../lib/format';
import { PRESET_LABEL, PRESET_NAMES } from '../../lib/presets';
import { answerJoinedNote } from '../drop/joined-note';

export function RemakeDialog({ model, onClose, onOpenModel }: { model: LibraryModel; onClose(): void; onOpenModel(id: string): void }) {
  const { models, toast, navigate } = useApp();
  const generatorId = useId();
  const presetId = useId();
  // Single-photo generators other than the one that made this model come first.
  const choices = models.filter((m) => m.images.min <= 1);
  const [endpoint, setEndpoint] = useState(() => choices.find((m) => m.id !== model.endpoint)?.id ?? choices[0]?.id ?? '');
  const [preset, setPreset] = useState<Preset>(model.preset);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = models.find((m) => m.id === endpoint);
  const price = chosen?.priceByPreset[preset];

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await call('library:remake', { modelId: model.id, endpoint, preset });
      const duplicate = result.duplicates[0];
      // The photo already on its way with these settings joined that job: nothing new was queued.
      const joined = answerJoinedNote(result);
      if (joined) {
        toast({ tone: 'info', text: joined, action: { label: 'Show queue', run: () => navigate('create') } });
        onClose();
      } else if (result.added.length > 0) {
        toast({ tone: 'success', text: `Queued “${model.sourceName ?? model.name}” with ${chosen?.label ?? endpoint}.`, action: { label: 'Show queue', run: () => navigate('create') } });
        onClose();
      } else if (duplicate) {
        toast({ tone: 'info', text: 'That photo was already made with this generator and preset.', action: { label: 'Open it', run: () => onOpenModel(duplicate.modelId) } });
        onClose();
      } else {
        setError(result.rejected[0]?.reason ?? 'The photo could not be queued.');
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Make with another generator"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy || !chosen} onClick={() => void submit()}>
            {busy ? 'Queuing…' : 'Queue it'}
          </button>
        </>
      }
    >
      <p className="dialog-text">
        The photo behind “{model.name}”{model.sourceName ? ` (${model.sourceName})` : ''} is queued again with the generator you choose. Open both
        in Compare once it is done.
      </p>
      <div className="form-field">
        <label className="section-label" htmlFor={generatorId}>
          Generator
        </label>
        <select id={generatorId} className="select" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} data-testid="remake-generator">
          {choices.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.id === model.endpoint ? ' (made this one)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="form-field">
        <label className="section-label" htmlFor={presetId}>
          Quality
        </label>
        <select id={presetId} className="select" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
          {PRESET_NAMES.map((p) => (
            <option key={p} value={p}>
              {PRESET_LABEL[p]}
            </option>
          ))}
        </select>
      </div>
      <p className="remake-estimate" data-testid="remake-estimate">
        {price === undefined ? '' : price === 0 ? 'Free: runs on this computer' : `Estimated cost ≈ ${formatUsd(price)}`}
      </p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
