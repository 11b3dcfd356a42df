// The GLB check and export workers run at a lower OS priority than the engine's thread (which in the
// app also answers the window), so a busy machine serves the engine first. Linux: each thread has its
// own nice value in /proc/self/task/<tid>/stat.
import { readdirSync, readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { startGlbWorker } from '../../../src/core/library/glb-validator';
import { startExportWorker } from '../../../src/core/export/worker-pool';
import { BACKGROUND_NICE_STEP, currentThreadId } from '../../../src/core/workers/background-priority';

/** Every thread of this process with its nice value. */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nices;
}

describe.runIf(process.platform === 'linux')('background worker priority', () => {
  for (const [name, start] of [
    ['GLB check worker', startGlbWorker],
    ['export worker', startExportWorker],
  ] as const) {
    it(`the ${name} runs ${BACKGROUND_NICE_STEP} nicer than the thread that started it (at most 19), which keeps its own`, async (ctx) => {
      const ownTid = currentThreadId()!;
      const ownNice = threadNices().get(ownTid)!;
      // Under `nice 10 npm test` the worker can only go to 19; under `nice 19` no lower at all.
      const expected = Math.min(19, ownNice + BACKGROUND_NICE_STEP);
      if (expected === ownNice) ctx.skip();
      const before = new Set(threadNices().keys());
      const worker: Worker = start();
      try {
        const lowered = await vi.waitFor(
          () => {
            const found = [...threadNices()].filter(([tid, nice]) => !before.has(tid) && nice === expected);
            if (found.length !== 1) throw new Error('no new thread at background priority yet');
            return found[0]!;
          },
          { timeout: 30_000, interval: 50 },
        );
        expect(lowered[0]).not.toBe(ownTid);
        expect(threadNices().get(ownTid)).toBe(ownNice);
      } finally {
        await worker.terminate();
      }
    }, 40_000);
  }

  it('says which thread it is on (not the process id, unless it is the main thread)', () => {
    const tid = currentThreadId();
    expect(tid).not.toBeNull();
    expect(threadNices().has(tid!)).toBe(true);
  });
});
