// Types for scripts/test-summary.mjs (tested in test/support/test-summary.test.ts).
export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** One entry per failed test: its file and name, then the first lines of its message. */
  failures: string[];
}
export function summarizeVitest(path: string, cwd?: string): TestSummary;
export function summarizePlaywright(path: string): TestSummary;
