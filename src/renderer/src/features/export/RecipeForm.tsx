// The knobs behind every preset: formats, placement (up axis, pivot, real size, unit), geometry
// (weld, simplify, LODs, compression), textures and the file name pattern.
import { useId, type ReactNode } from 'react';
import type { ExportRecipe, LengthUnit, OutputFormat } from '../../../../shared/export-recipe';

const FORMATS: { value: OutputFormat; label: string; hint: string }[] = [
  { value: 'glb', label: 'GLB', hint: 'glTF binary with textures' },
  { value: 'usdz', label: 'USDZ', hint: 'iOS AR Quick Look' },
  { value: 'obj', label: 'OBJ', hint: 'with MTL and textures' },
  { value: 'stl', label: 'STL', hint: 'slicers' },
  { value: '3mf', label: '3MF', hint: 'slicers, with units' },
];
const UNITS: LengthUnit[] = ['mm', 'cm', 'm', 'in'];
const TEXTURE_SIZES = [4096, 2048, 1024, 512, 256];

function Row({ label, children, htmlFor }: { label: string; children: ReactNode; htmlFor?: string }) {
  return (
    <div className="xr-row">
      <label className="xr-label" htmlFor={htmlFor}>
        {label}
      </label>
      <div className="xr-control">{children}</div>
    </div>
  );
}

export interface RecipeFormProps {
  recipe: ExportRecipe;
  onChange(next: ExportRecipe): void;
}

export function RecipeForm({ recipe, onChange }: RecipeFormProps) {
  const id = useId();
  const set = (patch: Partial<ExportRecipe>) => onChange({ ...recipe, ...patch });
  const toggleFormat = (format: OutputFormat) => {
    const has = recipe.formats.includes(format);
    const formats = has ? recipe.formats.filter((f) => f !== format) : [...recipe.formats, format];
    if (formats.length > 0) set({ formats });
  };
  const simplifyMode = recipe.simplify?.mode ?? 'none';

  return (
    <div className="xr-form" data-testid="recipe-form">
      <fieldset className="xr-group">
        <legend className="section-label">Files</legend>
        <div className="xr-formats">
          {FORMATS.map((f) => (
            <label key={f.value} className="xr-chip" title={f.hint}>
              <input type="checkbox" checked={recipe.formats.includes(f.value)} onChange={() => toggleFormat(f.value)} />
              {f.label}
            </label>
          ))}
        </div>
        <Row label="File name" htmlFor={`${id}-name`}>
          <input
            id={`${id}-name`}
            className="input"
            value={recipe.fileName}
            maxLength={120}
            title="{name}, {id}, {preset} and {date} are replaced"
            onChange={(e) => e.target.value.trim() && set({ fileName: e.target.value })}
          />
        </Row>
      </fieldset>

      <fieldset className="xr-group">
        <legend className="section-label">Size and placement</legend>
        <Row label="Real size" htmlFor={`${id}-size`}>
          <select
            id={`${id}-size`}
            className="select"
            value={recipe.realSize?.dimension ?? 'keep'}
            onChange={(e) =>
              set({
                realSize:
                  e.target.value === 'keep'
                    ? null
                    : { value: recipe.realSize?.value ?? 30, unit: recipe.realSize?.unit ?? 'cm', dimension: e.target.value as 'height' | 'longest' },
              })
            }
          >
            <option value="keep">Keep as made</option>
            <option value="height">Height</option>
            <option value="longest">Longest side</option>
          </select>
          {recipe.realSize && (
            <>
              <input
                aria-label="Real size value"
                className="input xr-number"
                type="number"
                min={0.1}
                step="any"
                value={recipe.realSize.value}
                onChange={(e) => Number(e.target.value) > 0 && set({ realSize: { ...recipe.realSize!, value: Number(e.target.value) } })}
              />
              <select
                aria-label="Real size unit"
                className="select xr-unit"
                value={recipe.realSize.unit}
                onChange={(e) => set({ realSize: { ...recipe.realSize!, unit: e.target.value as LengthUnit } })}
              >
                {UNITS.map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </select>
            </>
          )}
        </Row>
        <Row label="Origin" htmlFor={`${id}-pivot`}>
          <select id={`${id}-pivot`} className="select" value={recipe.pivot} onChange={(e) => set({ pivot: e.target.value as ExportRecipe['pivot'] })}>
            <option value="base">Centre of the base</option>
            <option value="center">Centre</option>
            <option value="original">As made</option>
          </select>
        </Row>
        <Row label="Up axis" htmlFor={`${id}-up`}>
          <select id={`${id}-up`} className="select" value={recipe.upAxis} onChange={(e) => set({ upAxis: e.target.value as 'y' | 'z' })}>
            <option value="y">Y up (glTF, engines, web)</option>
            <option value="z">Z up (printers, CAD)</option>
          </select>
        </Row>
        <Row label="File unit" htmlFor={`${id}-unit`}>
          <select
            id={`${id}-unit`}
            className="select xr-unit"
            value={recipe.unit}
            onChange={(e) => set({ unit: e.target.value as LengthUnit })}
            title="The unit of the numbers in STL, 3MF, OBJ and USDZ files (GLB is always in metres)"
          >
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
          <span className="xr-suffix">in STL, 3MF, OBJ, USDZ</span>
        </Row>
      </fieldset>

      <fieldset className="xr-group">
        <legend className="section-label">Geometry</legend>
        <Row label="Simplify" htmlFor={`${id}-simplify`}>
          <select
            id={`${id}-simplify`}
            className="select"
            value={simplifyMode}
            onChange={(e) =>
              set({
                simplify:
                  e.target.value === 'triangles'
                    ? { mode: 'triangles', triangles: 20_000 }
                    : e.target.value === 'ratio'
                      ? { mode: 'ratio', ratio: 0.5 }
                      : null,
              })
            }
          >
            <option value="none">Keep every triangle</option>
            <option value="triangles">To a triangle count</option>
            <option value="ratio">To a share</option>
          </select>
          {recipe.simplify?.mode === 'triangles' && (
            <input
              aria-label="Target triangles"
              className="input xr-number"
              type="number"
              min={12}
              step={1000}
              value={recipe.simplify.triangles}
              onChange={(e) => Number(e.target.value) >= 12 && set({ simplify: { mode: 'triangles', triangles: Math.round(Number(e.target.value)) } })}
            />
          )}
          {recipe.simplify?.mode === 'ratio' && (
            <input
              aria-label="Share of triangles in percent"
              className="input xr-number"
              type="number"
              min={1}
              max={100}
              value={Math.round(recipe.simplify.ratio * 100)}
              onChange={(e) => {
                const pct = Number(e.target.value);
                if (pct >= 1 && pct <= 100) set({ simplify: { mode: 'ratio', ratio: pct / 100 } });
              }}
            />
          )}
        </Row>
        <Row label="Levels of detail" htmlFor={`${id}-lods`}>
          <input
            id={`${id}-lods`}
            className="input"
            placeholder="None, or 100, 50, 25…"
            defaultValue={recipe.lods.map((l) => Math.round(l * 100)).join(', ')}
            key={recipe.lods.join(',')}
            onBlur={(e) => {
              const lods = e.target.value
                .split(/[,\s]+/)
                .map((v) => Number(v.replace('%', '')) / 100)
                .filter((v) => v > 0 && v <= 1)
                .slice(0, 6);
              set({ lods });
            }}
          />
        </Row>
        <Row label="Compression" htmlFor={`${id}-comp`}>
          <select id={`${id}-comp`} className="select" value={recipe.compression} onChange={(e) => set({ compression: e.target.value as ExportRecipe['compression'] })}>
            <option value="none">None</option>
            <option value="meshopt">Meshopt</option>
            <option value="draco">Draco</option>
          </select>
          <label className="xr-check">
            <input type="checkbox" checked={recipe.weld} onChange={(e) => set({ weld: e.target.checked })} />
            Weld vertices
          </label>
        </Row>
      </fieldset>

      <fieldset className="xr-group">
        <legend className="section-label">Textures</legend>
        <Row label="Largest edge" htmlFor={`${id}-tex`}>
          <select
            id={`${id}-tex`}
            className="select"
            value={recipe.textures.maxSize ?? 'keep'}
            onChange={(e) => set({ textures: { ...recipe.textures, maxSize: e.target.value === 'keep' ? null : Number(e.target.value) } })}
          >
            <option value="keep">Keep</option>
            {TEXTURE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s} px
              </option>
            ))}
          </select>
        </Row>
        {/* Its own row: beside the size menu it was cut to "Same for…". */}
        <Row label="Format" htmlFor={`${id}-tex-format`}>
          <select
            id={`${id}-tex-format`}
            aria-label="Texture format"
            className="select"
            value={recipe.textures.format}
            onChange={(e) => set({ textures: { ...recipe.textures, format: e.target.value as ExportRecipe['textures']['format'] } })}
          >
            <option value="original">Same format</option>
            <option value="webp">WebP</option>
            <option value="jpeg">JPEG</option>
            <option value="png">PNG</option>
          </select>
        </Row>
        <Row label="Size budget" htmlFor={`${id}-budget`}>
          <input
            id={`${id}-budget`}
            className="input xr-number"
            type="number"
            min={0}
            step={0.5}
            placeholder="None"
            value={recipe.sizeBudgetBytes === null ? '' : +(recipe.sizeBudgetBytes / 1024 / 1024).toFixed(2)}
            onChange={(e) => set({ sizeBudgetBytes: Number(e.target.value) > 0 ? Math.round(Number(e.target.value) * 1024 * 1024) : null })}
          />
          <span className="xr-suffix">MB for the GLB</span>
        </Row>
      </fieldset>
    </div>
  );
}
