// The opened model: the 3D viewer, what it is (stats, source, cost) and what to do with it
// (export GLB/OBJ/STL, reveal, drag out, rename, delete).
import { useState } from 'react';
import type { z } from 'zod';
import type { ExportFormatSchema } from '../../../../shared/contract';
import type { LibraryModel } from '../../../../shared/domain';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { Icon } from '../../components/Icon';
import { useJobCosts } from '../../hooks/useJobCosts';
import { chargedText, costSourceExplanation, estimateText } from '../../lib/cost-text';
import { errorMessage } from '../../lib/errors';
import { exportFailedText } from '../../lib/export-failed';
import { fileUrl } from '../../lib/files';
import { formatBytes, formatDateTime } from '../../lib/format';
import { PRESET_LABEL } from '../../lib/presets';
import { ComparePicker } from '../compare/ComparePicker';
import { CompareView } from '../compare/CompareView';
import { RemakeDialog } from '../compare/RemakeDialog';
import { startModelDrag } from './drag-out';
import { SourceSet } from './SourceSet';
import { ViewerSlot } from './ViewerSlot';

type ExportFormat = z.infer<typeof ExportFormatSchema>;

const FORMATS: { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'glb', label: 'GLB', hint: 'Web, Blender, game engines (textures included)' },
  { format: 'obj', label: 'OBJ', hint: 'OBJ + MTL for older tools' },
  { format: 'stl', label: 'STL', hint: 'Slicers for 3D printing (no colour)' },
];


export interface ModelDetailsProps {
  model: LibraryModel;
  onClose(): void;
  onRename(): void;
  onDelete(): void;
  /** Opens the export studio (presets, preview, real size...). */
  onExportStudio?(): void;
  /** The viewer is let go (the export studio, over the pane, shows the model in its own). */
  viewerHeld?: boolean;
}

export function ModelDetails({ model, onClose, onRename, onDelete, onExportStudio, viewerHeld = false }: ModelDetailsProps) {
  const { info, modelLabel, toast, navigate } = useApp();
  const realCost = useJobCosts(model.jobId ? [model.jobId] : []).get(model.jobId ?? '');
  const [comparing, setComparing] = useState<'picking' | LibraryModel | null>(null);
  const [remaking, setRemaking] = useState(false);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [viewerError, setViewerError] = useState<{ id: string; message: string } | null>(null);
  const { stats } = model;

  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      const { path } = await call('export:model', { id: model.id, format });
      if (path) toast({ tone: 'success', text: `Exported to ${path}` });
    } catch (err) {
      toast({ tone: 'error', text: exportFailedText(errorMessage(err)) });
    } finally {
      setExporting(null);
    }
  };
  const reveal = async () => {
    try {
      await call('shell:reveal', { id: model.id });
      if (info.transport === 'web') toast({ tone: 'info', text: 'Showing files in their folder works in the desktop app.' });
    } catch (err) {
      toast({ tone: 'error', text: errorMessage(err) });
    }
  };

  const textures = stats.textures.length
    ? stats.textures.map((t) => `${t.width}×${t.height} ${t.mimeType.replace('image/', '').toUpperCase()}`).join(', ')
    : 'None';

  return (
    <aside className="details" aria-label={`Model ${model.name}`} data-testid="model-details">
      <div className="details-header">
        <h2 className="details-title" title={model.name}>
          {model.name}
        </h2>
        <button type="button" className="icon-button" aria-label="Rename" title="Rename" onClick={onRename}>
          <Icon name="edit" size={17} />
        </button>
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Esc)" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      <div className="viewer-frame" data-testid="viewer-frame">
        {viewerHeld ? (
          <div className="viewer-placeholder" aria-hidden="true" />
        ) : (
          <ViewerSlot
            url={fileUrl(info.fileBaseUrl, 'model', model.id)}
            windowShortcuts
            onError={(message) => setViewerError({ id: model.id, message })}
          />
        )}
      </div>
      {viewerError?.id === model.id && (
        <p className="inline-error" role="alert">
          {viewerError.message}
        </p>
      )}

      <div className="details-section">
        <span className="section-label">Export</span>
        <div className="export-buttons">
          {FORMATS.map(({ format, label, hint }) => (
            <button
              key={format}
              type="button"
              className={format === 'glb' ? 'button button-primary' : 'button'}
              onClick={() => void exportAs(format)}
              disabled={exporting !== null}
              title={hint}
              aria-label={`Export ${label}`}
            >
              {exporting === format ? <Icon name="spinner" size={16} className="spin" /> : <Icon name="download" size={16} />}
              {label}
            </button>
          ))}
          {onExportStudio && (
            <button type="button" className="button" onClick={onExportStudio} title="Presets for Blender, game engines, the web, AR and 3D printing">
              <Icon name="sparkles" size={16} />
              Export studio…
            </button>
          )}
        </div>
        <div className="details-row-actions">
          <button type="button" className="button button-ghost button-small" onClick={() => void reveal()}>
            <Icon name="reveal" size={16} />
            Show in folder
          </button>
          <div
            className="drag-handle"
            draggable
            onDragStart={(event) => startModelDrag(event, model, info.transport, info.fileBaseUrl)}
            title="Drag this into Blender, a slicer or a folder"
          >
            <Icon name="grip" size={16} />
            Drag out
          </div>
          <button type="button" className="button button-ghost button-small details-delete" onClick={onDelete}>
            <Icon name="trash" size={16} />
            Delete
          </button>
        </div>
      </div>

      <div className="details-section">
        <span className="section-label">Inspect</span>
        <div className="details-row-actions">
          <button type="button" className="button button-small" onClick={() => setComparing('picking')}>
            <Icon name="library" size={16} />
            Compare with…
          </button>
          <button type="button" className="button button-small" onClick={() => setRemaking(true)}>
            <Icon name="create" size={16} />
            Make with another generator…
          </button>
        </div>
      </div>
      {comparing === 'picking' && <ComparePicker model={model} onPick={(other) => setComparing(other)} onClose={() => setComparing(null)} />}
      {comparing !== null && comparing !== 'picking' && <CompareView models={[model, comparing]} onClose={() => setComparing(null)} />}
      {remaking && <RemakeDialog model={model} onClose={() => setRemaking(false)} onOpenModel={(id) => navigate('library', { focus: id })} />}

      <dl className="details-stats">
        <dt>Created</dt>
        <dd>{formatDateTime(model.createdAt)}</dd>
        <dt>Generator</dt>
        <dd>
          {modelLabel(model.endpoint)} · {PRESET_LABEL[model.preset]}
        </dd>
        <dt>Triangles</dt>
        <dd data-testid="model-triangles">{stats.triangles.toLocaleString()}</dd>
        <dt>Textures</dt>
        <dd>{textures}</dd>
        <dt>File size</dt>
        <dd>{formatBytes(stats.fileSize)}</dd>
        <dt>Cost</dt>
        <dd data-testid="model-cost">
          {model.costUsd === null ? (realCost ? '' : '—') : estimateText(model.costUsd, realCost !== undefined)}
          {realCost && (
            <span title={costSourceExplanation(realCost)} data-testid="model-real-cost">
              {model.costUsd === null ? '' : ' · '}
              {chargedText(realCost)}
            </span>
          )}
        </dd>
        {model.sources && model.sources.length > 1 ? (
          <>
            <dt>Sources</dt>
            <dd>
              <SourceSet sources={model.sources} jobId={model.jobId} />
            </dd>
          </>
        ) : model.sourceName && (
          <>
            <dt>Source</dt>
            <dd className="details-source" title={model.sourceName}>
              {model.sourceName}
            </dd>
          </>
        )}
        {model.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>{model.tags.join(', ')}</dd>
          </>
        )}
      </dl>
    </aside>
  );
}
