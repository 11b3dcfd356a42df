// The test harness's window API (bench/viewer/harness.html): drives one <ModelViewer> without the
// rest of the app. Plain data types only, shared with the Node side of tests and benchmarks.
import type { ModelStats } from '../../../../../shared/domain';

export interface ViewerHarness {
  /** Sets the viewer's url prop; returns performance.now() taken just before. */
  open(url: string | null, name?: string): number;
  /** Removes the viewer from the page (it disposes everything) or puts a fresh one back. */
  setMounted(mounted: boolean): void;
  /** Every onStats / onError call so far, oldest first. */
  statsReports(): ModelStats[];
  errorReports(): string[];
}
