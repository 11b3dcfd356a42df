// Formatting for the stats overlay: exact counts, the app's shared size format, texture types.
export { formatBytes } from '../../lib/format';

const integer = new Intl.NumberFormat('en-US');

/** Exact, with separators: the overlay is for checking polycounts, not a summary. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** "image/png" -> "PNG", "image/ktx2" -> "KTX2". */
export function formatMime(mimeType: string): string {
  const subtype = mimeType.split('/')[1] ?? mimeType;
  return subtype.replace(/^x-/, '').toUpperCase();
}
