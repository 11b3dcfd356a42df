// Counts and names what `npm test` ran, from vitest's and Playwright's JSON reports. CI shows only the
// end of the output, so every failure is named there with the start of its message.
import { existsSync, readFileSync } from 'node:fs';

const firstLines = (text) => String(text ?? '').split('\n').slice(0, 6).join('\n    ');

/** vitest's JSON report (--reporter=json); a missing report counts as one failure. */
export function summarizeVitest(path, cwd = process.cwd()) {
  if (!existsSync(path)) return { passed: 0, failed: 1, skipped: 0, failures: [`vitest wrote no report (${path})`] };
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const failures = [];
  let failed = report.numFailedTests ?? 0;
  for (const file of report.testResults ?? []) {
    const name = file.name.startsWith(`${cwd}/`) ? file.name.slice(cwd.length + 1) : file.name;
    const tests = file.assertionResults ?? [];
    // A file that failed to load has no tests counted; count it as a failure.
    if (file.status === 'failed' && tests.length === 0) {
      failed += 1;
      failures.push(`${name} (did not load)\n    ${firstLines(file.message)}`);
    }
    for (const test of tests) {
      if (test.status === 'failed') failures.push(`${name} > ${test.fullName ?? test.title}\n    ${firstLines(test.failureMessages?.[0])}`);
    }
  }
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return { passed: report.numPassedTests ?? 0, failed, skipped, failures };
}

/** Playwright's JSON report; a flaky test (passed on retry) counts as passed. */
export function summarizePlaywright(path) {
  if (!existsSync(path)) return { passed: 0, failed: 1, skipped: 0, failures: [`Playwright wrote no report (${path})`] };
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const stats = report.stats ?? {};
  const failures = [];
  const visit = (suite) => {
    for (const child of suite.suites ?? []) visit(child);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        failures.push(`${spec.file} > ${spec.title} [${test.projectName}]\n    ${firstLines(test.results?.at(-1)?.error?.message)}`);
      }
    }
  };
  for (const suite of report.suites ?? []) visit(suite);
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
    failures,
  };
}
