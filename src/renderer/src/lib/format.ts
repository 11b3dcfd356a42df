// Plain-words formatting shared by every view (sizes, durations, dates, money, counts).
import { localDateTime } from '../../../shared/local-time';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** "Today, 14:03" for today, otherwise "Mar 3, 2026". */
export function formatDate(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  if (new Date(now).toDateString() === date.toDateString()) return `Today, ${timeFormat.format(date)}`;
  return dateFormat.format(date);
}

const shortFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Compact for cards: "14:03" today, "Nov 20" this year, "Nov 20, 2025" before. */
export function formatShortDate(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  if (today.toDateString() === date.toDateString()) return timeFormat.format(date);
  if (today.getFullYear() === date.getFullYear()) return shortFormat.format(date);
  return dateFormat.format(date);
}

/** "14:03" today, otherwise "Mar 3, 2026, 14:03": when something happens next. */
export function formatTimeOfDay(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  return new Date(now).toDateString() === date.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** "Mar 3, 2026, 14:03": as the core's messages tell times (shared/local-time.ts). */
export function formatDateTime(epochMs: number): string {
  return localDateTime(epochMs);
}

export function formatUsd(usd: number): string {
  if (usd === 0) return 'Free';
  return usd < 0.1 ? `$${usd.toFixed(3).replace(/0$/, '')}` : `$${usd.toFixed(2)}`;
}

/** "1,234" / "12.3k" / "1.2M" for triangle counts in tight spaces. */
export function formatCount(n: number): string {
  if (n < 10_000) return n.toLocaleString();
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "1st", "2nd", "3rd"... for queue positions. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
