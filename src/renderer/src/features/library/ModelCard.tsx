// One model in the library grid: preview, name, date, generator and triangle count, and how many
// images a model made from a set came from.
import { memo, useState, type KeyboardEvent } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { Icon } from '../../components/Icon';
import { fileUrl } from '../../lib/files';
import { formatCount, formatDate, formatShortDate, plural } from '../../lib/format';
import { startModelDrag } from './drag-out';

export interface ModelCardProps {
  model: LibraryModel;
  index: number;
  total: number;
  selected: boolean;
  focusable: boolean;
  onOpen(model: LibraryModel, index: number): void;
  onDelete(model: LibraryModel): void;
  onFocusIndex(index: number): void;
}

export const ModelCard = memo(function ModelCard({ model, index, total, selected, focusable, onOpen, onDelete, onFocusIndex }: ModelCardProps) {
  const { info, modelLabel } = useApp();
  // The rendered preview if there is one, else the source photo, else a placeholder. Remembered per
  // model: a grid cell keeps its card (and the keyboard focus) when it shows another model.
  const [failure, setFailure] = useState<{ id: string; kind: 'preview' | 'source' } | null>(null);
  const thumbFailed = failure?.id === model.id ? failure.kind : null;
  const thumbKind = model.hasPreview && thumbFailed === null ? 'preview' : model.jobId && thumbFailed !== 'source' ? 'source' : null;
  const thumb =
    thumbKind === 'preview'
      ? fileUrl(info.fileBaseUrl, 'preview', model.id)
      : thumbKind === 'source' && model.jobId
        ? fileUrl(info.fileBaseUrl, 'input', model.jobId)
        : null;
  // A set's model said nothing of its set until opened: "3 images", as its job said in the queue.
  const setCount = model.sources && model.sources.length > 1 ? plural(model.sources.length, 'image') : null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Delete' || (event.key === 'Backspace' && (event.metaKey || event.ctrlKey))) {
      event.preventDefault();
      onDelete(model);
    }
  };
  return (
    <div role="listitem" aria-setsize={total} aria-posinset={index + 1} className="model-cell">
      <button
        type="button"
        className={`model-card${selected ? ' is-selected' : ''}`}
        data-index={index}
        data-testid="model-card"
        tabIndex={focusable ? 0 : -1}
        aria-pressed={selected}
        aria-label={`${model.name}, ${setCount ? `made from ${setCount}, ` : ''}${formatCount(model.stats.triangles)} triangles, ${formatDate(model.createdAt)}`}
        draggable
        onDragStart={(event) => startModelDrag(event, model, info.transport, info.fileBaseUrl)}
        onClick={() => onOpen(model, index)}
        onFocus={() => onFocusIndex(index)}
        onKeyDown={onKeyDown}
      >
        <div className={`model-thumb model-thumb-${thumbKind ?? 'none'}`}>
          {thumb && thumbKind ? (
            <img key={thumb} src={thumb} alt="" loading="lazy" draggable={false} onError={() => setFailure({ id: model.id, kind: thumbKind })} />
          ) : (
            <Icon name="cube" size={34} />
          )}
          {setCount && (
            <span className="model-set-count" data-testid="model-set-count">
              <Icon name="image" size={12} />
              {setCount}
            </span>
          )}
        </div>
        <div className="model-info">
          <span className="model-name" title={model.name}>
            {model.name}
          </span>
          <span className="model-meta">
            <span className="model-meta-model">{modelLabel(model.endpoint)}</span>
          </span>
          <span className="model-meta">
            <span>{formatShortDate(model.createdAt)}</span>
            <span aria-hidden="true">·</span>
            <span>{formatCount(model.stats.triangles)} triangles</span>
          </span>
        </div>
      </button>
    </div>
  );
});

export function ModelCardSkeleton() {
  return (
    <div className="model-cell" aria-hidden="true">
      <div className="model-card is-skeleton">
        <div className="model-thumb" />
        <div className="model-info">
          <span className="skeleton-line" />
          <span className="skeleton-line short" />
        </div>
      </div>
    </div>
  );
}
