// The model's textures laid flat: each drawn into a canvas at its own aspect, with what it is for
// and its size. Drawing reads the decoded image the GPU copy was made from; nothing is re-fetched.
import { useEffect, useRef, useState } from 'react';
import type { TextureEntry } from './engine/texture-list';

function TextureCanvas({ entry, size }: { entry: TextureEntry; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !entry.image) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(entry.image, 0, 0, canvas.width, canvas.height);
  }, [entry]);
  const aspect = entry.width > 0 && entry.height > 0 ? entry.height / entry.width : 1;
  if (!entry.image) return <div className="mv-texture-missing">Compressed texture: no preview</div>;
  return <canvas ref={ref} className="mv-texture-canvas" width={size} height={Math.round(size * aspect)} />;
}

export function TexturePanel({ textures, onClose }: { textures: TextureEntry[]; onClose(): void }) {
  const [enlarged, setEnlarged] = useState<string | null>(null);
  const shown = textures.find((t) => t.id === enlarged) ?? null;
  return (
    <section className="mv-panel mv-textures" aria-label="Textures" data-testid="viewer-textures">
      <div className="mv-panel-head">
        <span className="mv-panel-label">{textures.length === 1 ? '1 texture' : `${textures.length} textures`}</span>
        <button type="button" className="mv-text-button" onClick={onClose}>
          Close
        </button>
      </div>
      {textures.length === 0 && <p className="mv-panel-note">This model has no textures.</p>}
      {shown ? (
        <figure className="mv-texture-large">
          <button type="button" className="mv-texture-back" onClick={() => setEnlarged(null)} aria-label="Back to all textures">
            <TextureCanvas entry={shown} size={512} />
          </button>
          <figcaption>
            <strong>{shown.slots.join(', ')}</strong>
            <span data-testid="texture-size">
              {shown.width} × {shown.height} px
            </span>
          </figcaption>
        </figure>
      ) : (
        <ul className="mv-texture-list">
          {textures.map((entry) => (
            <li key={entry.id} data-testid="texture-item">
              <button type="button" className="mv-texture-thumb" onClick={() => setEnlarged(entry.id)} aria-label={`Enlarge ${entry.slots.join(', ')}`}>
                <TextureCanvas entry={entry} size={160} />
              </button>
              <span className="mv-texture-slot">{entry.slots.join(', ')}</span>
              <span className="mv-texture-size" data-testid="texture-size">
                {entry.width} × {entry.height} px
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
