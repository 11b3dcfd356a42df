// Models that take an ordered list (Rodin, TRELLIS multi-image): the images in order; drag one onto
// another place, or use the arrows, to reorder; remove one to leave it out.
import type { DragEvent } from 'react';
import { Icon } from '../../components/Icon';
import type { SetImage } from './SetComposer';
import { moveTo, remove, type SetDraft } from './set-draft';

const DRAG_TYPE = 'application/x-i2m-set-image';

export interface OrderedSetProps {
  images: SetImage[];
  draft: SetDraft;
  onChange(next: SetDraft): void;
}

export function OrderedSet({ images, draft, onChange }: OrderedSetProps) {
  const byKey = new Map(images.map((image) => [image.key, image]));
  const allowDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  };
  const dropAt = (index: number) => (event: DragEvent) => {
    const key = event.dataTransfer.getData(DRAG_TYPE);
    if (!key) return;
    event.preventDefault();
    onChange(moveTo(draft, key, index));
  };

  return (
    <ol className="set-order" aria-label="Images in order">
      {draft.order.map((key, index) => {
        const image = byKey.get(key);
        if (!image) return null;
        const name = image.file.name;
        return (
          <li
            key={key}
            className="set-order-item"
            data-testid="set-order-item"
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData(DRAG_TYPE, key);
              event.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={allowDrop}
            onDrop={dropAt(index)}
            title={`${name} - drag to reorder`}
          >
            <span className="set-order-number" aria-hidden="true">
              {index + 1}
            </span>
            <div className="thumb set-tile-thumb">
              <img src={image.url} alt={name} draggable={false} />
            </div>
            <span className="set-tile-name">{name}</span>
            <div className="set-order-actions">
              <button type="button" className="icon-button" aria-label={`Move ${name} earlier`} disabled={index === 0} onClick={() => onChange(moveTo(draft, key, index - 1))}>
                <span aria-hidden="true">‹</span>
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${name} later`}
                disabled={index === draft.order.length - 1}
                onClick={() => onChange(moveTo(draft, key, index + 1))}
              >
                <span aria-hidden="true">›</span>
              </button>
              <button type="button" className="icon-button danger" aria-label={`Leave ${name} out`} onClick={() => onChange(remove(draft, key))}>
                <Icon name="close" size={14} />
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
