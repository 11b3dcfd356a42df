// Rename a model: Enter saves, Escape closes.
import { useState } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { Dialog } from '../../components/Dialog';
import { errorMessage } from '../../lib/errors';

export function RenameDialog({ model, onRename, onClose }: { model: LibraryModel; onRename(name: string): Promise<unknown>; onClose(): void }) {
  const [name, setName] = useState(model.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = name.trim();
  const submit = async () => {
    if (!trimmed) return setError('Give the model a name.');
    setBusy(true);
    try {
      await onRename(trimmed);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Rename model" onClose={onClose}>
      <form
        className="form-stack"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label className="field-label" htmlFor="rename-input">
          Name
        </label>
        <input
          id="rename-input"
          className="input"
          value={name}
          maxLength={200}
          autoFocus
          onFocus={(event) => event.target.select()}
          onChange={(event) => {
            setName(event.target.value);
            setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'rename-error' : undefined}
        />
        {error && (
          <p id="rename-error" className="inline-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-footer dialog-footer-inline">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !trimmed || trimmed === model.name}>
            {busy ? 'Saving…' : 'Rename'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
