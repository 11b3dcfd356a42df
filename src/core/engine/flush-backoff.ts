// A job whose cosmetic writes fail (a busy or full database) is flushed again later and later - from
// FLUSH_MS, doubling, up to FLUSH_RETRY_MAX_MS - not every FLUSH_MS for as long as it lasts; its writer
// says so once per streak of failures, not at every try. (A step the transition table refuses is not
// tried again at all: job-writer.ts withoutRefused.)
import { FLUSH_MS } from './flush-group';

/** The longest wait before a failing flush is tried again. */
export const FLUSH_RETRY_MAX_MS = 4_000;

export class FlushBackoff {
  /** Failures in a row, since the last write that went in. */
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** A retry is waiting: changes made meanwhile go with it, not sooner. */
  get waiting(): boolean {
    return this.timer !== null;
  }

  /** A flush failed: `retry` runs after this streak's wait. True for a streak's first failure (the one to report). */
  failed(retry: () => void): boolean {
    this.stop();
    const wait = Math.min(FLUSH_MS * 2 ** this.failures, FLUSH_RETRY_MAX_MS);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      retry();
    }, wait);
    return this.failures === 1;
  }

  /** A write went in: the streak is over. */
  succeeded(): void {
    this.failures = 0;
    this.stop();
  }

  /** No retry now (the run is over, or what was pending is being written); the streak goes on. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
