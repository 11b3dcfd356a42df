// The queue header counts what is true: with "Jobs at the same time" 2, jobs uploading or ready for a
// slot and jobs saving their model were all "working" (5 working for 2 slots); only jobs FAL (or this
// computer) works on are generating.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { countsText, queueCounts, unfinished, unfinishedText } from '../../src/renderer/src/features/queue/queue-counts';

const job = (state: Job['state'], progress = 0) => ({ state, progress }) as Job;

describe('queue counts', () => {
  it('a full queue with 2 slots: 2 generating, the jobs before and after their slot counted apart', () => {
    const counts = queueCounts([
      job('running', 60),
      job('submitted', 10),
      job('preparing', 5),
      job('preparing', 8),
      job('downloading', 95),
      job('queued'),
      job('queued'),
    ]);
    expect(counts).toMatchObject({ generating: 2, preparing: 2, downloading: 1, waiting: 2 });
    expect(countsText(counts)).toBe('2 generating · 2 preparing · 1 downloading · 2 waiting');
    expect(unfinished(counts)).toBe(7);
    // The sidebar badge counts the same 7, and says which are only waiting.
    expect(unfinishedText(counts)).toBe('7 jobs not finished: 2 generating, 2 preparing, 1 downloading, 2 waiting');
  });

  it('finished jobs, problems and cancels; canceled jobs left out of the overall progress', () => {
    const counts = queueCounts([job('succeeded', 100), job('failed', 40), job('needs_attention', 10), job('canceled', 30), job('queued')]);
    expect(countsText(counts)).toBe('1 waiting · 1 done · 2 problems · 1 canceled');
    expect(counts.counted).toBe(4);
    expect(counts.overall).toBe((100 + 100 + 100 + 0) / 4);
    expect(countsText(queueCounts([]))).toBe('Nothing running');
  });
});
