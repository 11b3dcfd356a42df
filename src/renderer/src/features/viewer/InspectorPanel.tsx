// The inspector's settings, floating over the view: how surfaces are drawn, the lighting preset and
// exposure, and the model's size in the unit the user picks (with the ruler overlay).
import { useId } from 'react';
import type { Dimensions } from './engine/dimensions';
import { formatSize } from './engine/units';
import { EXPOSURE_RANGE, LENGTH_UNITS, LIGHTING_PRESETS, VIEW_MODES, type LengthUnit, type LightingPreset, type ViewMode, type ViewSettings } from './engine/view-settings';

export const VIEW_MODE_LABEL: Record<ViewMode, string> = {
  lit: 'Lit',
  base: 'Base colour',
  normals: 'Normals',
  matcap: 'Matcap',
  wireframe: 'Wireframe',
  uv: 'UV checker',
};

const LIGHTING_LABEL: Record<LightingPreset, string> = { studio: 'Studio', soft: 'Soft', contrast: 'Contrast' };

export interface InspectorActions {
  setViewMode(mode: ViewMode): void;
  setLighting(preset: LightingPreset): void;
  setExposure(stops: number): void;
  setShowDimensions(on: boolean): void;
  setUnit(unit: LengthUnit): void;
}

function Segmented<T extends string>({ label, value, options, labels, onChange }: { label: string; value: T; options: readonly T[]; labels: Record<T, string>; onChange(v: T): void }) {
  return (
    <div className="mv-segmented" role="radiogroup" aria-label={label}>
      {options.map((option) => (
        <button key={option} type="button" role="radio" aria-checked={value === option} className="mv-segment" onClick={() => onChange(option)}>
          {labels[option]}
        </button>
      ))}
    </div>
  );
}

const formatStops = (stops: number) => `${stops > 0 ? '+' : stops < 0 ? '−' : '±'}${Math.abs(stops).toFixed(2).replace(/\.?0+$/, '') || '0'} EV`;

export function InspectorPanel({ settings, dimensions, actions }: { settings: ViewSettings; dimensions: Dimensions | null; actions: InspectorActions }) {
  const exposureId = useId();
  const unitId = useId();
  return (
    <section className="mv-panel mv-inspector" aria-label="Inspector" data-testid="viewer-inspector">
      <div className="mv-panel-group">
        <span className="mv-panel-label">View</span>
        <Segmented label="View mode" value={settings.viewMode} options={VIEW_MODES} labels={VIEW_MODE_LABEL} onChange={actions.setViewMode} />
      </div>
      <div className="mv-panel-group">
        <span className="mv-panel-label">Lighting</span>
        <Segmented label="Lighting" value={settings.lighting} options={LIGHTING_PRESETS} labels={LIGHTING_LABEL} onChange={actions.setLighting} />
        <div className="mv-exposure">
          <label htmlFor={exposureId}>Exposure</label>
          <input
            id={exposureId}
            type="range"
            min={EXPOSURE_RANGE.min}
            max={EXPOSURE_RANGE.max}
            step={EXPOSURE_RANGE.step}
            value={settings.exposure}
            onChange={(event) => actions.setExposure(Number(event.target.value))}
            onDoubleClick={() => actions.setExposure(0)}
            aria-valuetext={formatStops(settings.exposure)}
          />
          <output htmlFor={exposureId} data-testid="viewer-exposure">
            {formatStops(settings.exposure)}
          </output>
        </div>
      </div>
      <div className="mv-panel-group">
        <span className="mv-panel-label">Size</span>
        <div className="mv-size-row">
          <label className="mv-check">
            <input type="checkbox" checked={settings.showDimensions} onChange={(event) => actions.setShowDimensions(event.target.checked)} />
            Ruler
          </label>
          <label htmlFor={unitId} className="mv-visually-hidden">
            Unit
          </label>
          <select id={unitId} className="mv-select" value={settings.unit} onChange={(event) => actions.setUnit(event.target.value as LengthUnit)}>
            {LENGTH_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </div>
        <output className="mv-size" data-testid="viewer-size" title="Width × height × depth of the bounding box (the file's units are metres)">
          {dimensions ? formatSize(dimensions.size, settings.unit) : '—'}
        </output>
      </div>
    </section>
  );
}
