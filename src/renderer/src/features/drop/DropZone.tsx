// The big friendly target: drop images or folders, or choose them; paste works anywhere.
import { ACCEPTED_IMAGE_NAMES } from '../../../../shared/image-formats';
import { Icon } from '../../components/Icon';

export interface DropZoneProps {
  dragging: boolean;
  busy: boolean;
  limitMb: number;
  onPick(): void;
}

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

export function DropZone({ dragging, busy, limitMb, onPick }: DropZoneProps) {
  return (
    <section className={`drop-zone${dragging ? ' is-dragging' : ''}`} aria-label="Add images" data-testid="drop-zone">
      <div className="drop-art" aria-hidden="true">
        <div className="drop-art-card drop-art-back" />
        <div className="drop-art-card drop-art-front">
          <Icon name={busy ? 'spinner' : 'image'} size={26} className={busy ? 'spin' : undefined} />
        </div>
      </div>
      <h2>{busy ? 'Adding images…' : 'Drop images here'}</h2>
      <p className="muted">
        Photos or drawings of one object, or a whole folder. Each image becomes a 3D model; with a multi-image generator
        (such as Tripo v2.5 Multiview) several photos of one object can make one model.
      </p>
      <div className="drop-actions">
        <button type="button" className="button button-primary" onClick={onPick} disabled={busy}>
          <Icon name="upload" size={16} />
          Choose images…
        </button>
        <span className="faint drop-paste">
          or paste with <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> <kbd>V</kbd>
        </span>
      </div>
      <p className="drop-formats faint">
        {ACCEPTED_IMAGE_NAMES} · up to {limitMb} MB each
      </p>
    </section>
  );
}
