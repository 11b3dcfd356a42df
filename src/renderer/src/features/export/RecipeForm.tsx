// The knobs behind every preset: formats, placement (up axis, pivot, real size, unit), geometry
// (weld, simplify, LODs, compression), textures and the file name pattern.
import { useId, useState, type ReactNode } from 'react';
import { REAL_SIZE_RANGE, realSizeProblem, type ExportRecipe, type LengthUnit, type OutputFormat } from '../../../../shared/export-recipe';

const FORMATS: { value: OutputFormat; label: string; hint: string }[] = [
  { value: 'glb', label: 'GLB', hint: 'glTF binary with textures' },
  { value: 'usdz', label: 'USDZ', hint: 'iOS AR Quick Look' },
  { value: 'obj', label: 'OBJ', hint: 'with MTL and textures' },
  { value: 'stl', label: 'STL', hint: 'slicers' },
  { value: '3mf', label: '3MF', hint: 'slicers, with units' },
];
const UNITS: LengthUnit[] = ['mm', 'cm', 'm', 'in'];
const UNIT_OPTIONS = UNITS.map((u) => [u, u] as const);
const TEXTURE_SIZES = [4096, 2048, 1024, 512, 256];

type Options<T extends string> = readonly (readonly [value: T, label: string])[];

const REAL_SIZE: Options<'keep' | 'height' | 'longest'> = [
  ['keep', 'Keep as made'],
  ['height', 'Height'],
  ['longest', 'Longest side'],
];
const PIVOTS: Options<ExportRecipe['pivot']> = [
  ['base', 'Centre of the base'],
  ['center', 'Centre'],
  ['original', 'As made'],
];
const UP_AXES: Options<ExportRecipe['upAxis']> = [
  ['y', 'Y up (glTF, engines, web)'],
  ['z', 'Z up (printers, CAD)'],
];
const SIMPLIFY: Options<'none' | 'triangles' | 'ratio'> = [
  ['none', 'Keep every triangle'],
  ['triangles', 'To a triangle count'],
  ['ratio', 'To a share'],
];
const COMPRESSION: Options<ExportRecipe['compression']> = [
  ['none', 'None'],
  ['meshopt', 'Meshopt'],
  ['draco', 'Draco'],
];
const TEXTURE_MAX: Options<string> = [['keep', 'Keep'], ...TEXTURE_SIZES.map((size) => [String(size), `${size} px`] as const)];
const TEXTURE_FORMATS: Options<ExportRecipe['textures']['format']> = [
  ['original', 'Same format'],
  ['webp', 'WebP'],
  ['jpeg', 'JPEG'],
  ['png', 'PNG'],
];

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

/** A <select> over `options`, typed by their values (no casts at each menu). */
function Choice<T extends string>({ options, value, onChange, ...attributes }: { options: Options<T>; value: T; onChange(value: T): void; id?: string; className?: string; title?: string; 'aria-label'?: string }) {
  return (
    <select className="select" {...attributes} value={value} onChange={(e) => onChange(options.find(([v]) => v === e.target.value)?.[0] ?? value)}>
      {options.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
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
  // The real size as typed: the recipe takes every number (the studio exports nothing while it is out
  // of range, and says why), so what is shown is what would be exported.
  const [sizeText, setSizeText] = useState<string | null>(null);
  const sizeProblem = recipe.realSize ? realSizeProblem(recipe.realSize) : null;

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
          <Choice
            id={`${id}-size`}
            options={REAL_SIZE}
            value={recipe.realSize?.dimension ?? 'keep'}
            onChange={(dimension) => {
              // Turned off, the size typed goes with it: turned on again, the field shows the size the recipe gets (30 cm).
              if (dimension === 'keep') setSizeText(null);
              set({ realSize: dimension === 'keep' ? null : { value: recipe.realSize?.value ?? 30, unit: recipe.realSize?.unit ?? 'cm', dimension } });
            }}
          />
          {recipe.realSize && (
            <>
              <input
                aria-label="Real size value"
                className="input xr-number"
                type="number"
                min={REAL_SIZE_RANGE[recipe.realSize.unit].min}
                max={REAL_SIZE_RANGE[recipe.realSize.unit].max}
                step="any"
                aria-invalid={sizeProblem !== null}
                aria-describedby={sizeProblem ? `${id}-size-problem` : undefined}
                value={sizeText ?? recipe.realSize.value}
                onChange={(e) => {
                  setSizeText(e.target.value);
                  set({ realSize: { ...recipe.realSize!, value: e.target.value.trim() === '' ? Number.NaN : Number(e.target.value) } });
                }}
              />
              <Choice
                aria-label="Real size unit"
                className="select xr-unit"
                options={UNIT_OPTIONS}
                value={recipe.realSize.unit}
                onChange={(unit) => set({ realSize: { ...recipe.realSize!, unit } })}
              />
            </>
          )}
          {sizeProblem && (
            <p className="inline-error xr-problem" id={`${id}-size-problem`} role="alert" data-testid="real-size-problem">
              {sizeProblem}
            </p>
          )}
        </Row>
        <Row label="Origin" htmlFor={`${id}-pivot`}>
          <Choice id={`${id}-pivot`} options={PIVOTS} value={recipe.pivot} onChange={(pivot) => set({ pivot })} />
        </Row>
        <Row label="Up axis" htmlFor={`${id}-up`}>
          <Choice id={`${id}-up`} options={UP_AXES} value={recipe.upAxis} onChange={(upAxis) => set({ upAxis })} />
        </Row>
        <Row label="File unit" htmlFor={`${id}-unit`}>
          <Choice
            id={`${id}-unit`}
            className="select xr-unit"
            options={UNIT_OPTIONS}
            value={recipe.unit}
            onChange={(unit) => set({ unit })}
            title="The unit of the numbers in STL, 3MF, OBJ and USDZ files (GLB is always in metres)"
          />
          <span className="xr-suffix">in STL, 3MF, OBJ, USDZ</span>
        </Row>
      </fieldset>

      <fieldset className="xr-group">
        <legend className="section-label">Geometry</legend>
        <Row label="Simplify" htmlFor={`${id}-simplify`}>
          <Choice
            id={`${id}-simplify`}
            options={SIMPLIFY}
            value={simplifyMode}
            onChange={(mode) =>
              set({ simplify: mode === 'triangles' ? { mode, triangles: 20_000 } : mode === 'ratio' ? { mode, ratio: 0.5 } : null })
            }
          />
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
          <Choice id={`${id}-comp`} options={COMPRESSION} value={recipe.compression} onChange={(compression) => set({ compression })} />
          <label className="xr-check">
            <input type="checkbox" checked={recipe.weld} onChange={(e) => set({ weld: e.target.checked })} />
            Weld vertices
          </label>
        </Row>
      </fieldset>

      <fieldset className="xr-group">
        <legend className="section-label">Textures</legend>
        <Row label="Largest edge" htmlFor={`${id}-tex`}>
          <Choice
            id={`${id}-tex`}
            options={TEXTURE_MAX}
            value={recipe.textures.maxSize === null ? 'keep' : String(recipe.textures.maxSize)}
            onChange={(size) => set({ textures: { ...recipe.textures, maxSize: size === 'keep' ? null : Number(size) } })}
          />
        </Row>
        {/* Its own row: beside the size menu it was cut to "Same for…". */}
        <Row label="Format" htmlFor={`${id}-tex-format`}>
          <Choice
            id={`${id}-tex-format`}
            aria-label="Texture format"
            options={TEXTURE_FORMATS}
            value={recipe.textures.format}
            onChange={(format) => set({ textures: { ...recipe.textures, format } })}
          />
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
