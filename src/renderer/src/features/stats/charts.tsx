// Small hand-drawn SVG charts (no chart library; colours come from the theme's CSS variables, so
// light and dark follow by themselves and the strict CSP needs no inline styles).
import { chartLabel, niceScale } from './stats-data';
import { useWidth } from './useWidth';

export type Tone = 'succeeded' | 'failed' | 'canceled' | 'uncertain' | 'accent' | 'warning' | 'danger';

export interface BarRow {
  label: string;
  segments: { value: number; tone: Tone; name: string }[];
  /** Shown at the end of the row (default: the row's total). */
  note?: string;
}

/** Horizontal bars, one row per item, segments stacked (requests per model by outcome, errors...). */
export function BarRows({ rows, label }: { rows: BarRow[]; label: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const rowHeight = 30;
  const labelWidth = Math.min(170, width * 0.32);
  const noteWidth = 64;
  const barWidth = width - labelWidth - noteWidth;
  const height = rows.length * rowHeight;
  const max = Math.max(1, ...rows.map((r) => r.segments.reduce((sum, s) => sum + s.value, 0)));
  return (
    <div ref={ref}>
      <svg className="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        {rows.map((row, i) => {
          const y = i * rowHeight;
          const total = row.segments.reduce((sum, s) => sum + s.value, 0);
          let x = labelWidth;
          return (
            <g key={row.label} className="chart-row">
              <text className="chart-label" x={0} y={y + rowHeight / 2} dominantBaseline="central">
                {chartLabel(row.label, 24)}
                <title>{row.label}</title>
              </text>
              <rect className="chart-track" x={labelWidth} y={y + 7} width={barWidth} height={rowHeight - 14} rx={3} />
              {row.segments.map((segment) => {
                const w = (segment.value / max) * barWidth;
                const rect = w > 0 && (
                  <rect key={segment.name} className={`chart-fill tone-${segment.tone}`} x={x} y={y + 7} width={Math.max(w, 1.5)} height={rowHeight - 14}>
                    <title>{`${row.label}: ${segment.value.toLocaleString()} ${segment.name}`}</title>
                  </rect>
                );
                x += w;
                return rect;
              })}
              <text className="chart-value" x={width} y={y + rowHeight / 2} dominantBaseline="central" textAnchor="end">
                {row.note ?? total.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Vertical columns with a value axis (the duration histogram). */
export function Columns({ columns, label }: { columns: { label: string; title: string; count: number }[]; label: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 190;
  const left = 34;
  const bottom = 24;
  const top = 8;
  const plotHeight = height - top - bottom;
  // Counts are whole: never a 0.5 tick.
  const scale = niceScale(Math.max(...columns.map((c) => c.count), 0));
  const step = Math.max(1, scale.step);
  const max = Math.max(step, Math.ceil(scale.max / step) * step);
  const ticks = ticksOf(max, step);
  const slot = (width - left) / columns.length;
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  return (
    <div ref={ref}>
      <svg className="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line className="chart-grid" x1={left} x2={width} y1={y(tick)} y2={y(tick)} />
            <text className="chart-axis" x={left - 6} y={y(tick)} dominantBaseline="central" textAnchor="end">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {columns.map((column, i) => {
          const x = left + i * slot;
          const h = (column.count / max) * plotHeight;
          return (
            <g key={column.label}>
              {column.count > 0 && (
                <rect className="chart-fill tone-accent" x={x + slot * 0.16} y={y(column.count)} width={slot * 0.68} height={Math.max(h, 1.5)} rx={3}>
                  <title>{`${column.count.toLocaleString()} request${column.count === 1 ? '' : 's'} took ${column.title}`}</title>
                </rect>
              )}
              <text className="chart-axis" x={x + slot / 2} y={height - 6} textAnchor="middle">
                {column.label}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** A line over days with the area below it (spend per day). */
export function DayLine({ points, label, format }: { points: { day: string; value: number; title: string }[]; label: string; format: (v: number) => string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 200;
  const left = 52;
  const bottom = 24;
  const top = 10;
  const right = 8;
  const plotHeight = height - top - bottom;
  const plotWidth = width - left - right;
  const { max, step } = niceScale(Math.max(...points.map((p) => p.value), 0));
  const ticks = ticksOf(max, step);
  const x = (i: number) => left + (points.length <= 1 ? plotWidth / 2 : (i / (points.length - 1)) * plotWidth);
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const area = points.length > 0 ? `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` : '';
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(plotWidth / 90))));
  return (
    <div ref={ref}>
      <svg className="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line className="chart-grid" x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} />
            <text className="chart-axis" x={left - 6} y={y(tick)} dominantBaseline="central" textAnchor="end">
              {format(tick)}
            </text>
          </g>
        ))}
        <path className="chart-area" d={area} />
        <path className="chart-line" d={line} />
        {points.map((p, i) => (
          <g key={p.day}>
            {p.value > 0 && (
              <circle className="chart-dot" cx={x(i)} cy={y(p.value)} r={points.length > 45 ? 2 : 3.2}>
                <title>{p.title}</title>
              </circle>
            )}
            {showDayLabel(i, points.length, labelEvery) && (
              <text className="chart-axis" x={x(i)} y={height - 6} textAnchor={i === points.length - 1 && points.length > 1 ? 'end' : 'middle'}>
                {p.title.split(':')[0]}
              </text>
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}

/** Every `every`-th day and the last one, leaving out a label that would crowd the last. */
function showDayLabel(i: number, count: number, every: number): boolean {
  if (i === count - 1) return true;
  return i % every === 0 && count - 1 - i >= every * 0.8;
}

function ticksOf(max: number, step: number): number[] {
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

function formatTick(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : Number.isInteger(value) ? String(value) : value.toFixed(1);
}
