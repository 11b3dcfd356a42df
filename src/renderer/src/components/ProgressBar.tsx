// A thin progress bar; without a value it shows an indeterminate shimmer.
export function ProgressBar({ value, label, tone }: { value: number | null; label: string; tone?: 'done' | 'error' | 'muted' }) {
  const pct = value === null ? null : Math.max(0, Math.min(100, value));
  return (
    <div
      className={`progress${tone ? ` progress-${tone}` : ''}${pct === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
