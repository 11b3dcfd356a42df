// Library: every model made on this computer, searchable and sortable, with a viewer pane.
import { useCallback, useEffect, useId, useState } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { useLibrary, type LibrarySort } from '../../hooks/useLibrary';
import { errorMessage } from '../../lib/errors';
import { exportFailedText } from '../../lib/export-failed';
import { LibraryGrid } from './LibraryGrid';
import { ModelDetails } from './ModelDetails';
import { RenameDialog } from './RenameDialog';
import { ExportStudio, type ExportTarget } from '../export/ExportStudio';
import { libraryCountText, libraryCountTitle } from './count-text';
import { SEARCH_MAX_LENGTH } from '../../../../shared/search';

const SORTS: { value: LibrarySort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'name', label: 'Name' },
  { value: 'triangles', label: 'Most triangles' },
];

export interface LibraryViewProps {
  /** A model to open (from the queue's "Open", or a duplicate notice). */
  openId: string | null;
  onOpened(): void;
  /** Export the open model as GLB when the menu asks (Ctrl/Cmd+E). */
  exportRequest: number;
}

export function LibraryView({ openId, onOpened, exportRequest }: LibraryViewProps) {
  const { navigate, toast } = useApp();
  const searchId = useId();
  const sortId = useId();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<LibrarySort>('newest');
  const debouncedQuery = useDebounced(query.trim(), 200);
  const library = useLibrary(debouncedQuery, sort);
  const [selected, setSelected] = useState<LibraryModel | null>(null);
  const [renaming, setRenaming] = useState<LibraryModel | null>(null);
  const [deleting, setDeleting] = useState<LibraryModel | null>(null);
  // Export studio and the multi-select that feeds its batch mode.
  const [exportTarget, setExportTarget] = useState<ExportTarget | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [selecting, setSelecting] = useState(false);
  const onToggleCheck = useCallback((model: LibraryModel) => {
    setChecked((prev) => {
      const next = new Set(prev);
      if (!next.delete(model.id)) next.add(model.id);
      return next;
    });
  }, []);

  // Open a model asked for by id from elsewhere in the app.
  useEffect(() => {
    if (!openId) return;
    call('library:get', { id: openId }).then(
      (model) => setSelected(model),
      (err: unknown) => toast({ tone: 'error', text: errorMessage(err) }),
    );
    onOpened();
  }, [openId, onOpened, toast]);

  // Keep the open model in step with renames and deletions made anywhere (also by the CLI).
  useApiEvent('library:changed', (change) => {
    if (!selected || change.id !== selected.id) return;
    if (change.kind === 'removed') setSelected(null);
    else call('library:get', { id: change.id }).then(setSelected, () => setSelected(null));
  });

  const total = library.total;
  const empty = total === 0 && !debouncedQuery;
  // A search that finds nothing shows nothing: the pane does not hold the model opened before it
  // (clearing the search brings it back).
  const shown = debouncedQuery && total === 0 ? null : selected;

  // Exports the model the pane shows: none while a search finds nothing (not the one opened before it).
  useEffect(() => {
    if (exportRequest === 0 || !shown) return;
    call('export:model', { id: shown.id, format: 'glb' }).then(
      ({ path }) => path && toast({ tone: 'success', text: `Exported to ${path}` }),
      (err: unknown) => toast({ tone: 'error', text: exportFailedText(errorMessage(err)) }),
    );
    // Only a new request should export, not a change of selection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [exportRequest]);

  // Escape does what the user sees (dialogs handle their own Escape first): it closes the pane when
  // one is shown; while a search finds nothing it clears the search, which brings back the model the
  // search hid instead of dropping it unseen.
  const hidingSearch = debouncedQuery !== '' && total === 0;
  useEffect(() => {
    if (!shown && !hidingSearch) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (shown) setSelected(null);
      else setQuery('');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown, hidingSearch]);

  const onOpen = useCallback((model: LibraryModel) => setSelected(model), []);
  const onDeleteRequest = useCallback((model: LibraryModel) => setDeleting(model), []);

  return (
    <div className="view view-full library-view">
      <header className="view-header">
        <div>
          <h1>Library</h1>
          <p data-testid="library-count" title={libraryCountTitle(total, debouncedQuery)}>
            {libraryCountText(total, debouncedQuery)}
          </p>
        </div>
        {!empty && (
          <div className="library-toolbar">
            <div className="input-with-icon library-search">
              <Icon name="search" size={16} />
              <label htmlFor={searchId} className="visually-hidden">
                Search models
              </label>
              <input
                id={searchId}
                className="input"
                type="search"
                placeholder="Search by name, source or tag"
                maxLength={SEARCH_MAX_LENGTH}
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                onKeyDown={(event) => {
                  // One Escape, one thing, as in Settings' text fields: text in the box is cleared
                  // first (here, not by the browser, and the pane stays); an empty box lets Escape
                  // through to close the pane.
                  if (event.key !== 'Escape' || query === '') return;
                  event.preventDefault();
                  setQuery('');
                }}
              />
            </div>
            <label htmlFor={sortId} className="visually-hidden">
              Sort
            </label>
            <select id={sortId} className="select library-sort" value={sort} onChange={(event) => setSort(event.target.value as LibrarySort)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
            <div className="library-selection">
              <button
                type="button"
                className={`button${selecting ? ' button-primary' : ''}`}
                aria-pressed={selecting}
                onClick={() => setSelecting((on) => !on)}
                title="Pick models to export together (or Ctrl/Cmd-click cards)"
              >
                <Icon name="check" size={16} />
                {checked.size > 0 ? `${checked.size} selected` : 'Select'}
              </button>
              {checked.size > 0 && (
                <button type="button" className="button button-ghost" onClick={() => setChecked(new Set())}>
                  Clear
                </button>
              )}
              <button
                type="button"
                className="button"
                disabled={!total}
                onClick={() =>
                  setExportTarget(
                    checked.size > 0
                      ? { kind: 'batch', ids: [...checked], query: debouncedQuery, count: checked.size }
                      : { kind: 'batch', ids: null, query: debouncedQuery, count: total ?? 0 },
                  )
                }
              >
                <Icon name="download" size={16} />
                {checked.size > 0 ? `Export ${checked.size}…` : debouncedQuery ? 'Export matches…' : 'Export all…'}
              </button>
            </div>
          </div>
        )}
      </header>

      {library.error && (
        <p className="inline-error" role="alert">
          {library.error}
        </p>
      )}

      <div className={`library-body${shown ? ' has-details' : ''}`}>
        {empty ? (
          <div className="card library-empty">
            <EmptyState
              icon="library"
              title="Your models will live here"
              action={
                <button type="button" className="button button-primary" onClick={() => navigate('create')}>
                  <Icon name="create" size={16} />
                  Make your first model
                </button>
              }
            >
              Every model you generate is saved on this computer with its source image, settings and cost, so FAL’s
              expiring links never matter.
            </EmptyState>
          </div>
        ) : total === 0 ? (
          <div className="card library-empty">
            <EmptyState icon="search" title="No models match">
              Try another word, or clear the search to see everything.
            </EmptyState>
          </div>
        ) : (
          <div className="card library-grid-card">
            <LibraryGrid
              library={library}
              selectedId={selected?.id ?? null}
              resetKey={`${sort}|${debouncedQuery}`}
              onOpen={onOpen}
              onDelete={onDeleteRequest}
              checkedIds={checked}
              selecting={selecting}
              onToggleCheck={onToggleCheck}
            />
          </div>
        )}
        {/* The studio is modal and has its own viewers: the pane's is let go meanwhile (one WebGL context
            less). The pane itself stays, so the studio gives the focus back to its "Export studio…" button. */}
        {shown && (
          <ModelDetails
            key={shown.id}
            model={shown}
            viewerHeld={exportTarget?.kind === 'model'}
            onClose={() => setSelected(null)}
            onRename={() => setRenaming(shown)}
            onDelete={() => setDeleting(shown)}
            onExportStudio={() => setExportTarget({ kind: 'model', model: shown })}
          />
        )}
      </div>

      {exportTarget && <ExportStudio target={exportTarget} onClose={() => setExportTarget(null)} />}
      {renaming && (
        <RenameDialog
          model={renaming}
          onRename={async (name) => {
            const updated = await call('library:rename', { id: renaming.id, name });
            if (selected?.id === updated.id) setSelected(updated);
            library.refresh();
          }}
          onClose={() => setRenaming(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete model"
          tone="danger"
          onConfirm={async () => {
            await call('library:delete', { id: deleting.id });
            if (selected?.id === deleting.id) setSelected(null);
            library.refresh();
            toast({ tone: 'success', text: `Deleted “${deleting.name}”.` });
          }}
          onClose={() => setDeleting(null)}
        >
          <p>The model file and its preview are removed from your library. Copies you exported stay where they are.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
