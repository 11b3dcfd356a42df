// Tripo Multiview's views as slots: each image sits in the view its name suggested; drag an image
// onto another slot, or pick its view from the menu, to change it. Empty optional views are fine.
import type { DragEvent } from 'react';
import { VIEW_ROLES, type ViewRole } from '../../../../shared/input-roles';
import { Icon } from '../../components/Icon';
import type { SetImage } from './SetComposer';
import { setRole, type SetDraft } from './set-draft';

const DRAG_TYPE = 'application/x-i2m-set-image';
const VIEW_LABEL: Record<ViewRole, string> = { front: 'Front', left: 'Left', back: 'Back', right: 'Right' };

export interface ViewSlotsProps {
  views: readonly ViewRole[];
  images: SetImage[];
  draft: SetDraft;
  onChange(next: SetDraft): void;
}

function ImageTile({ image, role, views, draft, onChange }: { image: SetImage; role: ViewRole | null; views: readonly ViewRole[]; draft: SetDraft; onChange(next: SetDraft): void }) {
  const name = image.file.name;
  return (
    <figure
      className="set-tile"
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, image.key);
        event.dataTransfer.effectAllowed = 'move';
      }}
      title={`${name} - drag onto another view to move it`}
    >
      <div className="thumb set-tile-thumb">
        <img src={image.url} alt={name} draggable={false} />
      </div>
      <figcaption>
        <span className="set-tile-name">{name}</span>
        <select
          className="select select-small"
          aria-label={`View of ${name}`}
          value={role ?? ''}
          onChange={(event) => onChange(setRole(draft, image.key, (event.target.value || null) as ViewRole | null))}
          data-testid="set-role-select"
        >
          {VIEW_ROLES.filter((view) => views.includes(view)).map((view) => (
            <option key={view} value={view}>
              {VIEW_LABEL[view]}
            </option>
          ))}
          <option value="">Not used</option>
        </select>
      </figcaption>
    </figure>
  );
}

export function ViewSlots({ views, images, draft, onChange }: ViewSlotsProps) {
  const byKey = new Map(images.map((image) => [image.key, image]));
  const holder = (view: ViewRole) => draft.order.find((key) => draft.roles[key] === view);
  const unused = draft.order.filter((key) => {
    const role = draft.roles[key];
    return role === null || role === undefined || !views.includes(role);
  });
  const allowDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  };
  const dropOn = (role: ViewRole | null) => (event: DragEvent) => {
    const key = event.dataTransfer.getData(DRAG_TYPE);
    if (!key) return;
    event.preventDefault();
    onChange(setRole(draft, key, role));
  };

  return (
    <>
      <ol className="set-slots" aria-label="Views">
        {views.map((view, i) => {
          const key = holder(view);
          const image = key ? byKey.get(key) : undefined;
          return (
            <li key={view} className={`set-slot${image ? '' : ' is-empty'}`} data-testid="set-slot" data-role={view} data-filled={image ? image.file.name : ''} onDragOver={allowDrop} onDrop={dropOn(view)}>
              <span className="set-slot-label">
                {VIEW_LABEL[view]}
                <span className="faint">{i === 0 ? 'required' : 'optional'}</span>
              </span>
              {image && key ? (
                <ImageTile image={image} role={view} views={views} draft={draft} onChange={onChange} />
              ) : (
                <div className="set-slot-empty">
                  <Icon name="image" size={20} />
                  <span>{i === 0 ? 'Drag the front view here' : 'Empty'}</span>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {unused.length > 0 && (
        <div className="set-unused" onDragOver={allowDrop} onDrop={dropOn(null)} aria-label="Not used">
          <span className="section-label">Not used</span>
          <div className="set-unused-list">
            {unused.map((key) => {
              const image = byKey.get(key);
              return image ? <ImageTile key={key} image={image} role={null} views={views} draft={draft} onChange={onChange} /> : null;
            })}
          </div>
        </div>
      )}
    </>
  );
}
