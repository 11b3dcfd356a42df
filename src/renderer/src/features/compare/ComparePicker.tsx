// "Compare with…": choose the second model from the library (searchable), typically the same photo
// made by another generator, which is why models from the same source are listed first.
import { useEffect, useId, useState } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { Dialog } from '../../components/Dialog';
import { useDebounced } from '../../hooks/useDebounced';
import { errorMessage } from '../../lib/errors';
import { formatShortDate } from '../../lib/format';
import { SEARCH_MAX_LENGTH } from '../../../../shared/search';

export function ComparePicker({ model, onPick, onClose }: { model: LibraryModel; onPick(other: LibraryModel): void; onClose(): void }) {
  const { modelLabel } = useApp();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const debounced = useDebounced(query.trim(), 200);
  const [items, setItems] = useState<LibraryModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    call('library:list', { query: debounced || undefined, sort: 'newest', offset: 0, limit: 60 }).then(
      ({ items: found }) => {
        if (!current) return;
        const others = found.filter((m) => m.id !== model.id);
        const sameSource = (m: LibraryModel) => (model.sourceName !== null && m.sourceName === model.sourceName ? 0 : 1);
        setItems([...others].sort((a, b) => sameSource(a) - sameSource(b)));
        setError(null);
      },
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [debounced, model.id, model.sourceName]);

  return (
    <Dialog title={`Compare “${model.name}” with…`} onClose={onClose} className="compare-picker">
      <label htmlFor={searchId} className="visually-hidden">
        Search models
      </label>
      <input id={searchId} className="input" type="search" placeholder="Search by name, source or tag" maxLength={SEARCH_MAX_LENGTH} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <ul className="compare-picker-list" aria-label="Models">
        {items?.length === 0 && <li className="compare-picker-empty">No other models{debounced ? ' match' : ' yet'}.</li>}
        {items?.map((other) => (
          <li key={other.id}>
            <button type="button" className="compare-picker-item" onClick={() => onPick(other)}>
              <span className="compare-picker-name">{other.name}</span>
              <span className="compare-picker-meta">
                {modelLabel(other.endpoint)} · {other.stats.triangles.toLocaleString()} triangles · {formatShortDate(other.createdAt)}
                {model.sourceName !== null && other.sourceName === model.sourceName && ' · same photo'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
