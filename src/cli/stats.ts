// `image2model stats`: the FAL request statistics the app keeps, as a table, JSON or Prometheus text.
import { Command, InvalidArgumentError } from 'commander';
import { getModel } from '../core/models/catalog';
import { DURATION_BUCKETS_S, type StatsReport } from '../shared/stats';

interface StatsOptions {
  dataDir?: string;
  startFresh?: boolean;
  json: boolean;
  prometheus: boolean;
  days?: number;
}

const parseDays = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new InvalidArgumentError('must be a whole number of days (1 or more).');
  return n;
};

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('show statistics of the FAL requests made: per model, durations, errors, rate limits, spend')
    .option('--data-dir <dir>', 'data folder (default: the app\'s, or IMAGE2MODEL_DATA_DIR)')
    .option('--start-fresh', 'start an empty library where a data folder that held one is missing', false)
    .option('--days <n>', 'only the last n days (today counts as one; default: all time)', parseDays)
    .option('--json', 'print the report as one JSON object', false)
    .option('--prometheus', 'print Prometheus text exposition format (all time, for scraping)', false)
    .action(async (opts: StatsOptions) => {
      const [{ openDatabase }, { createStatsReader, toPrometheus }, { readDataDir, rememberCliDataDir }] = await Promise.all([
        import('../core/db/open'),
        import('../core/stats'),
        import('./data-folder'),
      ]);
      const dataDir = readDataDir(opts);
      // No library yet: the report of an empty one, read from an empty database in memory.
      const db = openDatabase(dataDir ?? ':memory:');
      if (dataDir !== null) rememberCliDataDir(dataDir);
      try {
        const reader = createStatsReader(db);
        if (opts.prometheus) {
          // Counters must only grow between scrapes: always all time.
          process.stdout.write(toPrometheus(reader.report()));
          return;
        }
        const report = reader.report(opts.days ? { from: startOfDay(Date.now(), opts.days - 1) } : undefined);
        process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatReport(report, opts.days));
      } finally {
        db.close();
      }
    });
}

function startOfDay(now: number, daysBack: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysBack).getTime();
}

/** The human-readable table. */
export function formatReport(report: StatsReport, days?: number): string {
  const period = days ? `the last ${days} day${days === 1 ? '' : 's'}` : 'all time';
  if (report.models.length === 0) return days ? `No FAL requests in ${period}.\n` : 'No FAL requests recorded yet.\n';
  const lines: string[] = [`FAL requests, ${period}`, ''];
  const rows = report.models.map((m) => [
    getModel(m.endpoint)?.label ?? m.endpoint,
    String(m.requests),
    String(m.succeeded),
    String(m.failed),
    String(m.canceled),
    String(m.uncertain),
    String(m.rateLimits),
    m.requests > 0 ? `${(m.durationSumS / m.requests).toFixed(1)} s` : '-',
    usd(m.estimatedUsd + m.realUsd) + (m.estimatedUsd > 0 ? '*' : ''),
  ]);
  lines.push(...table(['model', 'requests', 'succeeded', 'failed', 'canceled', 'uncertain', 'rate limits', 'mean time', 'spend'], rows));
  const sum = (pick: (m: StatsReport['models'][number]) => number) => report.models.reduce((total, m) => total + pick(m), 0);
  const estimated = sum((m) => m.estimatedUsd);
  lines.push('', `Total: ${sum((m) => m.requests)} requests, ${sum((m) => m.failed)} failed, ${usd(estimated + sum((m) => m.realUsd))}${estimated > 0 ? '*' : ''} spent`);

  const totals = report.models.reduce(
    (sum, m) => {
      m.durationBuckets.forEach((count, i) => (sum.buckets[i] = (sum.buckets[i] ?? 0) + count));
      return sum;
    },
    { buckets: [] as number[] },
  );
  const labels = [...DURATION_BUCKETS_S.map((s) => `<=${s}s`), `>${DURATION_BUCKETS_S.at(-1)}s`];
  lines.push('', 'Durations (submit to outcome)', ...table(labels, [totals.buckets.map(String)]));

  if (report.errors.length > 0) {
    lines.push('', 'Errors by type');
    lines.push(...table(['type', 'model', 'count'], report.errors.map((e) => [e.errorType, getModel(e.endpoint)?.label ?? e.endpoint, String(e.count)])));
  }
  if (report.spendByDay.length > 0) {
    lines.push('', 'Spend per day');
    lines.push(...table(['day', 'requests', 'spend'], report.spendByDay.map((d) => [d.day, String(d.requests), usd(d.estimatedUsd + d.realUsd) + (d.estimatedUsd > 0 ? '*' : '')])));
  }
  if (report.models.some((m) => m.estimatedUsd > 0)) lines.push('', '* includes estimates (FAL\'s billed cost is not known for every request)');
  return lines.join('\n') + '\n';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const usd = (value: number) => `$${value.toFixed(2)}`;
