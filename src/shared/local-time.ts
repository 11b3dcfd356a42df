// A moment as the user reads it, in words shown anywhere (job rows, the core's messages, dialogs, the
// CLI): their own time zone and locale, date and time ("Dec 3, 2026, 4:27 PM"), as the window's dialogs
// show times. Logs and stored data keep ISO / UTC (epoch ms, toISOString).

/** `locale` and `timeZone`: the user's (this process's) when not given - read at each call, so a changed TZ applies. */
export function localDateTime(epochMs: number, opts: { locale?: string; timeZone?: string } = {}): string {
  return new Intl.DateTimeFormat(opts.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: opts.timeZone }).format(new Date(epochMs));
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-12-03": the user's calendar day (file names, `{date}` in an export's name pattern). */
export function localDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** "2026-12-03 11:27": localDay and the time, for columns that line up and sort (the CLI's `list`). */
export function localStamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${localDay(epochMs)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
