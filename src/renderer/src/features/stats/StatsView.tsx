// Stats: what the app asked FAL and how it went - requests and failures per model, how long they
// took, errors by type, rate limits and spend over time. Recorded on this computer (src/core/stats).
import { useId, useState } from 'react';
import type { StatsReport } from '../../../../shared/stats';
import { useApp } from '../../app-context';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { formatDuration } from '../../lib/format';
import { BarRows, Columns, DayLine, type BarRow } from './charts';
import { RANGES, durationHistogram, errorLabel, errorsByType, formatDay, rangeStart, spendSeries, totalsOf, type RangeKey } from './stats-data';
import { useStats } from './useStats';
import './stats.css';

export function StatsView() {
  // The range start is fixed when chosen (not on every render), so the query stays the same.
  const [{ range, from }, setPeriod] = useState(() => ({ range: '30d' as RangeKey, from: rangeStart('30d', Date.now()) }));
  const { report, fetchedAt, anyEver, error } = useStats(from);
  const name = useId();

  return (
    <div className="view stats-view">
      <header className="view-header">
        <div>
          <h1>Stats</h1>
          <p>Every request this app sent to FAL, and how it went. Kept on this computer.</p>
        </div>
        <div className="segmented" role="radiogroup" aria-label="Period">
          {RANGES.map((r) => (
            <label key={r.key}>
              <input type="radio" name={name} checked={range === r.key} onChange={() => setPeriod({ range: r.key, from: rangeStart(r.key, Date.now()) })} />
              {r.label}
            </label>
          ))}
        </div>
      </header>
      {error && (
        <div className="card card-body stats-error" role="alert">
          <Icon name="warning" size={16} /> Could not load the stats: {error}
        </div>
      )}
      {report && (report.models.length === 0 ? <NoData none={range === 'all' || !anyEver} /> : <Charts report={report} from={from} now={fetchedAt} />)}
    </div>
  );
}

/** `none`: nothing was ever sent (a longer period would show nothing either). */
function NoData({ none }: { none: boolean }) {
  return (
    <div className="card">
      <EmptyState icon="chart" title={none ? 'No FAL requests yet' : 'No FAL requests in this period'}>
        {none
          ? 'Once the app has sent images to FAL, this page shows how many worked, how long they took, what went wrong and what they cost. Models made offline are not counted.'
          : 'Choose a longer period to see older requests.'}
      </EmptyState>
    </div>
  );
}

function Charts({ report, from, now }: { report: StatsReport; from: number | undefined; now: number }) {
  const { modelLabel } = useApp();
  const totals = totalsOf(report);
  const errors = errorsByType(report);
  const spend = spendSeries(report, from, now);
  const spentUsd = totals.estimatedUsd + totals.realUsd;
  const failedShare = totals.requests > 0 ? (totals.failed + totals.uncertain) / totals.requests : 0;
  const limited = report.models.filter((m) => m.rateLimits > 0);

  const perModel: BarRow[] = report.models
    .filter((m) => m.requests > 0)
    .map((m) => ({
      label: modelLabel(m.endpoint),
      segments: [
        { value: m.succeeded, tone: 'succeeded', name: 'succeeded' },
        { value: m.failed, tone: 'failed', name: 'failed' },
        { value: m.uncertain, tone: 'uncertain', name: 'uncertain' },
        { value: m.canceled, tone: 'canceled', name: 'canceled' },
      ],
    }));

  return (
    <>
      <dl className="stats-tiles" aria-label="Summary">
        <Tile label="Requests" value={totals.requests.toLocaleString()} />
        <Tile label="Succeeded" value={percent(totals.succeeded, totals.requests)} tone="success" />
        <Tile label="Failed or uncertain" value={(totals.failed + totals.uncertain).toLocaleString()} tone={failedShare > 0 ? 'danger' : undefined} />
        <Tile label="Average time" value={totals.requests > 0 ? formatDuration((totals.durationSumS / totals.requests) * 1000) : '-'} />
        <Tile label="Rate limits" value={totals.rateLimits.toLocaleString()} tone={totals.rateLimits > 0 ? 'warning' : undefined} />
        <Tile label={totals.estimatedUsd > 0 ? 'Spent (estimated)' : 'Spent'} value={usd(spentUsd)} />
      </dl>

      <div className="stats-grid">
        <ChartCard title="Requests per model" id="stats-models">
          <Legend />
          <BarRows rows={perModel} label={`Requests per model: ${perModel.map((r) => `${r.label} ${r.segments.map((s) => `${s.value} ${s.name}`).join(', ')}`).join('; ')}`} />
        </ChartCard>

        <ChartCard title="How long requests took" id="stats-durations" note="From sending the job to its outcome.">
          <Columns
            columns={durationHistogram(report)}
            label={`Durations: ${durationHistogram(report).map((c) => `${c.count} ${c.title}`).join(', ')}`}
          />
        </ChartCard>

        <ChartCard title="Errors by type" id="stats-errors">
          {errors.length === 0 ? (
            <p className="stats-none">
              <Icon name="check" size={16} /> No errors in this period.
            </p>
          ) : (
            <BarRows
              rows={errors.map((e) => ({ label: errorLabel(e.errorType), segments: [{ value: e.count, tone: 'danger', name: e.errorType }] }))}
              label={`Errors by type: ${errors.map((e) => `${errorLabel(e.errorType)} ${e.count}`).join(', ')}`}
            />
          )}
        </ChartCard>

        <ChartCard title="Rate limits" id="stats-rate-limits" note="Each time FAL asked the app to slow down (HTTP 429). Jobs wait and continue.">
          {limited.length === 0 ? (
            <p className="stats-none">
              <Icon name="check" size={16} /> FAL never asked to slow down in this period.
            </p>
          ) : (
            <BarRows
              rows={limited.map((m) => ({ label: modelLabel(m.endpoint), segments: [{ value: m.rateLimits, tone: 'warning', name: 'rate limits' }] }))}
              label={`Rate limits: ${limited.map((m) => `${modelLabel(m.endpoint)} ${m.rateLimits}`).join(', ')}`}
            />
          )}
        </ChartCard>

        <ChartCard
          title="Spend over time"
          id="stats-spend"
          wide
          note={
            totals.estimatedUsd > 0
              ? 'Per day. Estimated from the model prices where FAL’s billed cost is not known.'
              : 'Per day, as billed by FAL.'
          }
        >
          <DayLine
            points={spend.map((p) => ({ day: p.day, value: p.usd, title: `${formatDay(p.day)}: ${usd(p.usd)}${p.estimated ? ' (estimated)' : ''}` }))}
            label={`Spend per day, ${usd(spentUsd)} in total`}
            format={(v) => (spentUsd < 1 && v > 0 ? `$${v.toFixed(2)}` : `$${Number.isInteger(v) ? v : v.toFixed(1)}`)}
          />
        </ChartCard>
      </div>
    </>
  );
}

function Tile({ label, value, tone }: { label: string; value: string; tone?: 'success' | 'danger' | 'warning' }) {
  return (
    <div className={`card stats-tile${tone ? ` stats-tile-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ChartCard({ title, id, note, wide, children }: { title: string; id: string; note?: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <section className={`card stats-card${wide ? ' stats-card-wide' : ''}`} aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="card-header">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          {note && <p className="stats-note">{note}</p>}
        </div>
      </div>
      <div className="card-body">{children}</div>
    </section>
  );
}

function Legend() {
  return (
    <ul className="stats-legend" aria-label="Colours">
      {(['succeeded', 'failed', 'uncertain', 'canceled'] as const).map((tone) => (
        <li key={tone}>
          <span className={`stats-swatch tone-${tone}`} aria-hidden="true" />
          {tone}
        </li>
      ))}
    </ul>
  );
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '-';
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
