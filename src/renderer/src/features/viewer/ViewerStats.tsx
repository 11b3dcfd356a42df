// The stats overlay: what the loaded model is made of. In a small viewer it is one strip along the
// bottom (the model is framed above it); in a large one a panel in the corner.
import type { ReactNode } from 'react';
import type { ModelStats } from '../../../../shared/domain';
import { formatBytes, formatCount, formatMime } from './format';

function Stat({ label, testId, className, children }: { label: string; testId: string; className?: string; children: ReactNode }) {
  return (
    <div className={className}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function ViewerStats({ stats, compact = false }: { stats: ModelStats; compact?: boolean }) {
  const triangles = (
    <Stat label="Triangles" testId="viewer-stat-triangles">
      {formatCount(stats.triangles)}
    </Stat>
  );
  const vertices = (
    <Stat label="Vertices" testId="viewer-stat-vertices">
      {formatCount(stats.vertices)}
    </Stat>
  );
  if (compact) {
    const first = stats.textures[0];
    return (
      <section className="mv-stats mv-stats-compact" aria-label="Model statistics" data-testid="viewer-stats">
        <dl>
          {triangles}
          {vertices}
          <Stat label="File" testId="viewer-stat-file-size">
            {formatBytes(stats.fileSize)}
          </Stat>
          <Stat label="Textures" testId="viewer-stat-textures">
            {first ? `${stats.textures.length} · ${first.width} × ${first.height} ${formatMime(first.mimeType)}` : 'None'}
          </Stat>
        </dl>
      </section>
    );
  }
  return (
    <section className="mv-stats" aria-label="Model statistics" data-testid="viewer-stats">
      <dl>
        {triangles}
        {vertices}
        <Stat label="Materials" testId="viewer-stat-materials">
          {formatCount(stats.materials)}
        </Stat>
        <Stat label="File size" testId="viewer-stat-file-size">
          {formatBytes(stats.fileSize)}
        </Stat>
        <Stat label="Textures" testId="viewer-stat-textures" className="mv-stats-textures">
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
        </Stat>
      </dl>
    </section>
  );
}
