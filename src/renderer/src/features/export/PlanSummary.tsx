// What the export will produce, before anything is written: triangles, textures, sizes against the
// budget, the files, and for printing whether the mesh is closed, its holes and volume.
import type { ExportPlan } from '../../../../shared/export-recipe';
import { Icon } from '../../components/Icon';
import { formatBytes } from '../../lib/format';

const textures = (list: ExportPlan['result']['textures']) =>
  list.length ? list.map((t) => `${t.width}×${t.height} ${t.mimeType.replace('image/', '').toUpperCase()}`).join(', ') : 'None';

const metres = (m: number) => (m >= 1 ? `${m.toFixed(2)} m` : m >= 0.01 ? `${(m * 100).toFixed(1)} cm` : `${(m * 1000).toFixed(1)} mm`);

/** `pending`: these figures are for the recipe before the last change; the new ones are being worked out. */
export function PlanSummary({ plan, pending = false }: { plan: ExportPlan; pending?: boolean }) {
  const { source, result, print, budget } = plan;
  return (
    <div className={`xp-summary${pending ? ' is-pending' : ''}`} data-testid="export-plan" aria-busy={pending || undefined}>
      <dl className="xp-figures">
        <dt>Triangles</dt>
        <dd data-testid="plan-triangles">
          {source.triangles.toLocaleString()} → <strong>{result.triangles.toLocaleString()}</strong>
        </dd>
        <dt>Textures</dt>
        <dd>
          {textures(source.textures)} → <strong>{textures(result.textures)}</strong>
        </dd>
        <dt>Size</dt>
        <dd>{result.size.map(metres).join(' × ')}</dd>
        <dt>Files</dt>
        <dd data-testid="plan-bytes">
          {formatBytes(source.bytes)} → <strong>{formatBytes(plan.totalBytes)}</strong>
          {budget && (
            <span className={`xp-badge ${budget.withinBudget ? 'is-ok' : 'is-over'}`}>
              {budget.withinBudget ? 'within' : 'over'} {formatBytes(budget.bytes)}
            </span>
          )}
        </dd>
      </dl>
      <ul className="xp-files" aria-label="Files to write">
        {plan.files.map((file) => (
          <li key={file.name}>
            <span className="xp-file-name">{file.name}</span>
            <span className="xp-file-meta">
              {file.triangles !== null && `${file.triangles.toLocaleString()} tris · `}
              {formatBytes(file.bytes)}
            </span>
          </li>
        ))}
      </ul>
      {print && (
        <div className={`xp-print ${print.closed ? 'is-ok' : 'is-warn'}`} data-testid="print-report">
          <Icon name={print.closed ? 'check' : 'warning'} size={16} />
          <span>
            {print.closed ? 'Closed mesh, ready to slice' : `Not closed: ${print.holes} hole${print.holes === 1 ? '' : 's'}`}
            {print.nonManifoldEdges > 0 && `, ${print.nonManifoldEdges} non-manifold edges`} · {print.size.map((s) => s.toFixed(1)).join(' × ')}{' '}
            {print.unit} · volume {(print.volume * (print.unit === 'mm' ? 0.001 : print.unit === 'cm' ? 1 : print.unit === 'm' ? 1e6 : 16.387)).toFixed(1)} cm³
          </span>
        </div>
      )}
      {plan.warnings.map((warning) => (
        <p key={warning} className="xp-warning">
          <Icon name="info" size={15} />
          {warning}
        </p>
      ))}
    </div>
  );
}
