// A photo dropped again while its job is on its way joins that job (no second, paid job): the notice
// says so, and says when that job needs the user's attention (its submit may have reached FAL).
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { answerJoinedNote, joinedNote } from '../../src/renderer/src/features/drop/joined-note';

const job = (id: string, state: Job['state']) => ({ id, state }) as Job;

describe('joined note', () => {
  it('says nothing when no image joined a job', () => {
    expect(joinedNote([], [job('a', 'running')])).toBeNull();
  });

  it('one image: names it and says nothing new is charged', () => {
    const note = joinedNote([{ input: '/photos/lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'running')]);
    expect(note).toBe('lamp.png is already on its way with these settings, so it joined that job: nothing new is charged.');
  });

  it('one image whose job needs attention: says it was not sent again and where to look', () => {
    const note = joinedNote([{ input: 'C:\\photos\\lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'needs_attention')]);
    expect(note).toMatch(/^lamp\.png joined its earlier job, which needs your attention: FAL may already have it, so it was not sent again/);
  });

  it('several images: counts them, and those whose jobs need attention', () => {
    const joined = [
      { input: 'a.png', jobId: 'a', sameDrop: false },
      { input: 'b.png', jobId: 'b', sameDrop: false },
      { input: 'c.png', jobId: 'c', sameDrop: false },
    ];
    expect(joinedNote(joined, [job('a', 'running'), job('b', 'queued'), job('c', 'preparing')])).toBe(
      '3 images are already on their way with these settings, so they joined those jobs: nothing new is charged.',
    );
    expect(joinedNote(joined, [job('a', 'needs_attention'), job('b', 'queued'), job('c', 'preparing')])).toMatch(/1 of their jobs needs your attention in the queue\.$/);
  });

  it('a copy of a photo in the same drop: says both share one job, charged once', () => {
    const jobs = [{ id: 'a', state: 'queued', inputName: 'duck.png' } as Job];
    expect(joinedNote([{ input: 'duck copy.png', jobId: 'a', sameDrop: true }], jobs)).toBe('duck copy.png is the same image as duck.png, so both share one job: it is charged once.');
    expect(joinedNote([{ input: 'duck.png', jobId: 'a', sameDrop: true }], jobs)).toBe('duck.png was given twice, so both share one job: it is charged once.');
  });

  it('follows the joined job: once it finished, failed or was canceled it is no longer "on its way"', () => {
    const one = [{ input: 'lamp.png', jobId: 'a', sameDrop: false }];
    expect(joinedNote(one, [job('a', 'succeeded')])).toBe(
      'lamp.png joined its earlier job with these settings, which has since finished: its model is in your library. Nothing new was charged.',
    );
    expect(joinedNote(one, [job('a', 'failed')])).toBe('lamp.png joined its earlier job with these settings, which has since failed: nothing new was charged. See that job in the queue.');
    expect(joinedNote(one, [job('a', 'canceled')])).toBe('lamp.png joined its earlier job with these settings, which was since canceled: nothing new was charged.');
    const three = [
      { input: 'a.png', jobId: 'a', sameDrop: false },
      { input: 'b.png', jobId: 'b', sameDrop: false },
      { input: 'c.png', jobId: 'c', sameDrop: false },
    ];
    expect(joinedNote(three, [job('a', 'succeeded'), job('b', 'failed'), job('c', 'running')])).toBe(
      '3 images joined earlier jobs with these settings: nothing new was charged. Of those jobs, 1 finished, 1 failed and 1 is still on its way; see them in the queue.',
    );
  });

  it('one answer (a sample, "Make with another generator"): says when its photo joined a job, nothing when it made one', () => {
    const running = job('a', 'running');
    expect(answerJoinedNote({ added: [running], joined: [{ input: 'sample-duck.jpg', jobId: 'a' }] })).toBe(
      'sample-duck.jpg is already on its way with these settings, so it joined that job: nothing new is charged.',
    );
    expect(answerJoinedNote({ added: [job('b', 'needs_attention')], joined: [{ input: 'vase.jpg', jobId: 'b' }] })).toMatch(/^vase\.jpg joined its earlier job, which needs your attention/);
    expect(answerJoinedNote({ added: [running] })).toBeNull();
    expect(answerJoinedNote({ added: [running], joined: [] })).toBeNull();
  });
});
