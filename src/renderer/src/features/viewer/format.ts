// Number and size formatting for the stats overlay.
const integer = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "image/png" -> "PNG", "image/ktx2" -> "KTX2". */
export function formatMime(mimeType: string): string {
  const subtype = mimeType.split('/')[1] ?? mimeType;
  return subtype.replace(/^x-/, '').toUpperCase();
}
