// Two library models side by side, filling the window: their viewers share one camera (orbit one,
// the other follows at the same angle and relative zoom) and their figures sit in one table.
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { Icon } from '../../components/Icon';
import { fileUrl } from '../../lib/files';
import { formatBytes, formatDateTime, formatUsd } from '../../lib/format';
import { PRESET_LABEL } from '../../lib/presets';
import { ViewerSlot } from '../library/ViewerSlot';
import { CameraLink } from '../viewer/camera-link';
import type { Dimensions } from '../viewer/engine/dimensions';
import { formatSize } from '../viewer/engine/units';
import { LENGTH_UNITS, loadViewSettings, type LengthUnit } from '../viewer/engine/view-settings';
import './compare.css';

interface Row {
  label: string;
  values: [ReactNode, ReactNode];
}

export function CompareView({ models, onClose }: { models: [LibraryModel, LibraryModel]; onClose(): void }) {
  const { info, modelLabel } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const unitId = useId();
  const [link] = useState(() => new CameraLink());
  const [unit, setUnit] = useState<LengthUnit>(() => loadViewSettings().unit);
  const [dimensions, setDimensions] = useState<[Dimensions | null, Dimensions | null]>([null, null]);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const texturesOf = (model: LibraryModel) =>
    model.stats.textures.length === 0 ? 'None' : model.stats.textures.map((t) => `${t.width}×${t.height} ${t.mimeType.replace('image/', '').toUpperCase()}`).join(', ');
  const pair = <T,>(f: (model: LibraryModel, index: 0 | 1) => T): [T, T] => [f(models[0], 0), f(models[1], 1)];
  const rows: Row[] = [
    { label: 'Generator', values: pair((m) => `${modelLabel(m.endpoint)} · ${PRESET_LABEL[m.preset]}`) },
    { label: 'Triangles', values: pair((m) => m.stats.triangles.toLocaleString()) },
    { label: 'Vertices', values: pair((m) => m.stats.vertices.toLocaleString()) },
    { label: 'Materials', values: pair((m) => m.stats.materials.toLocaleString()) },
    { label: 'Textures', values: pair(texturesOf) },
    { label: 'Size (W × H × D)', values: pair((_, i) => (dimensions[i] ? formatSize(dimensions[i].size, unit) : '…')) },
    { label: 'File size', values: pair((m) => formatBytes(m.stats.fileSize)) },
    { label: 'Cost', values: pair((m) => (m.costUsd === null ? '—' : formatUsd(m.costUsd))) },
    { label: 'Created', values: pair((m) => formatDateTime(m.createdAt)) },
    { label: 'Source', values: pair((m) => m.sourceName ?? '—') },
  ];

  return (
    <dialog
      ref={ref}
      className="compare"
      aria-labelledby={titleId}
      data-testid="compare-view"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="compare-header">
        <h2 id={titleId}>Compare</h2>
        <span className="compare-hint">Orbit either model: the other follows.</span>
        <label htmlFor={unitId} className="visually-hidden">
          Unit
        </label>
        <select id={unitId} className="select compare-unit" value={unit} onChange={(e) => setUnit(e.target.value as LengthUnit)}>
          {LENGTH_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
        <button type="button" className="icon-button" aria-label="Close compare" title="Close (Esc)" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="compare-viewers">
        {models.map((model, index) => (
          <div key={model.id} className="compare-viewer" data-testid="compare-viewer">
            <ViewerSlot
              url={fileUrl(info.fileBaseUrl, 'model', model.id)}
              name={model.name}
              cameraLink={link}
              allowLargeView={false}
              onDimensions={(d) => setDimensions((current) => (index === 0 ? [d, current[1]] : [current[0], d]))}
            />
          </div>
        ))}
      </div>
      <div className="compare-table-wrap">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Figure</span>
              </th>
              {models.map((m) => (
                <th key={m.id} scope="col">
                  {m.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{row.values[0]}</td>
                <td>{row.values[1]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </dialog>
  );
}
