// The stats overlay: what the loaded model is made of.
import type { ModelStats } from '../../../../shared/domain';
import { formatBytes, formatCount, formatMime } from './format';

export function ViewerStats({ stats }: { stats: ModelStats }) {
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
