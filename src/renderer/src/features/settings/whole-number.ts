// A whole number typed into a setting, checked against the range the settings file accepts
// (shared/settings.ts), so a refusal says what to type instead of the store's schema error.

/** The problem with `text` as a whole number from `min` to `max` (null: fine). `unit` ends the example. */
export function wholeNumberProblem(text: string, min: number, max: number, unit: string): string | null {
  const value = Number(text);
  if (text === '' || !/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    return `Enter a whole number from ${min} to ${max} (${unit}).`;
  }
  return null;
}
