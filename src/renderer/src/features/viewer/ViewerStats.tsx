// The stats overlay: what the loaded model is made of. In a small viewer it is one strip along the
// bottom (the model is framed above it); in a large one a panel in the corner.
import type { ModelStats } from '../../../../shared/domain';
import { formatBytes, formatCount, formatMime } from './format';

export function ViewerStats({ stats, compact = false }: { stats: ModelStats; compact?: boolean }) {
  if (compact) {
    const first = stats.textures[0];
    return (
      <section className="mv-stats mv-stats-compact" aria-label="Model statistics" data-testid="viewer-stats">
        <dl>
          <div>
            <dt>Triangles</dt>
            <dd data-testid="viewer-stat-triangles">{formatCount(stats.triangles)}</dd>
          </div>
          <div>
            <dt>Vertices</dt>
            <dd data-testid="viewer-stat-vertices">{formatCount(stats.vertices)}</dd>
          </div>
          <div>
            <dt>File</dt>
            <dd data-testid="viewer-stat-file-size">{formatBytes(stats.fileSize)}</dd>
          </div>
          <div>
            <dt>Textures</dt>
            <dd data-testid="viewer-stat-textures">
              {first ? `${stats.textures.length} · ${first.width} × ${first.height} ${formatMime(first.mimeType)}` : 'None'}
            </dd>
          </div>
        </dl>
      </section>
    );
  }
  return (
    <section className="mv-stats" aria-label="Model statistics" data-testid="viewer-stats">
      <dl>
        <div>
          <dt>Triangles</dt>
          <dd data-testid="viewer-stat-triangles">{formatCount(stats.triangles)}</dd>
        </div>
        <div>
          <dt>Vertices</dt>
          <dd data-testid="viewer-stat-vertices">{formatCount(stats.vertices)}</dd>
        </div>
        <div>
          <dt>Materials</dt>
          <dd data-testid="viewer-stat-materials">{formatCount(stats.materials)}</dd>
        </div>
        <div>
          <dt>File size</dt>
          <dd data-testid="viewer-stat-file-size">{formatBytes(stats.fileSize)}</dd>
        </div>
        <div className="mv-stats-textures">
          <dt>Textures</dt>
          <dd data-testid="viewer-stat-textures">
            {stats.textures.length === 0 ? (
              'None'
            ) : (
              <ul>
                {stats.textures.map((texture, i) => (
                  <li key={i}>
                    <span>{texture.width > 0 ? `${texture.width} × ${texture.height}` : 'Unused'}</span>
                    <span>{formatMime(texture.mimeType)}</span>
                    <span>{formatBytes(texture.bytes)}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
