// A photo dropped again while its job is on its way joins that job (no second, paid job): the notice
// says so, and says when that job needs the user's attention (its submit may have reached FAL).
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { joinedNote } from '../../src/renderer/src/features/drop/joined-note';

const job = (id: string, state: Job['state']) => ({ id, state }) as Job;

describe('joined note', () => {
  it('says nothing when no image joined a job', () => {
    expect(joinedNote([], [job('a', 'running')])).toBeNull();
  });

  it('one image: names it and says nothing new is charged', () => {
    const note = joinedNote([{ input: '/photos/lamp.png', jobId: 'a' }], [job('a', 'running')]);
    expect(note).toBe('lamp.png is already on its way with these settings, so it joined that job: nothing new is charged.');
  });

  it('one image whose job needs attention: says it was not sent again and where to look', () => {
    const note = joinedNote([{ input: 'C:\\photos\\lamp.png', jobId: 'a' }], [job('a', 'needs_attention')]);
    expect(note).toMatch(/^lamp\.png joined its earlier job, which needs your attention: FAL may already have it, so it was not sent again/);
  });

  it('several images: counts them, and those whose jobs need attention', () => {
    const joined = [
      { input: 'a.png', jobId: 'a' },
      { input: 'b.png', jobId: 'b' },
      { input: 'c.png', jobId: 'c' },
    ];
    expect(joinedNote(joined, [job('a', 'running'), job('b', 'queued'), job('c', 'preparing')])).toBe(
      '3 images are already on their way with these settings, so they joined those jobs: nothing new is charged.',
    );
    expect(joinedNote(joined, [job('a', 'needs_attention'), job('b', 'queued'), job('c', 'preparing')])).toMatch(/1 of their jobs needs your attention in the queue\.$/);
  });
});
