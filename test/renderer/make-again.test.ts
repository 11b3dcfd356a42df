// "Make again anyway" on the intake notice makes a new, separately paid job: like "Generate again" it
// asks first, says it is charged again and what it costs - and always asks when the earlier job needs
// attention (FAL may already have charged for it), even if the price is not known.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { duplicatesAsk, joinedAsk } from '../../src/renderer/src/features/drop/make-again';

const job = (id: string, state: Job['state'], estimatedCostUsd: number | null) => ({ id, state, estimatedCostUsd, inputName: `${id}.png` }) as Job;

describe('make again: what is asked first', () => {
  it('one photo on its way: names it, says it is charged again and the price', () => {
    const ask = joinedAsk([{ input: '/p/lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'running', 0.4)]);
    expect(ask).toEqual({
      title: 'Make “lamp.png” again?',
      body: ['lamp.png is already on its way with these settings.', 'Making it again starts a new generation that is charged again (≈ $0.40). The job it joined stays in the queue.'],
      confirmLabel: 'Make again (≈ $0.40)',
    });
  });

  it('a joined job that needs attention: says FAL may already have charged for it', () => {
    const ask = joinedAsk([{ input: 'lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'needs_attention', 0.4)]);
    expect(ask?.body[0]).toBe('The earlier job for lamp.png needs your attention: FAL may already have run it and charged for it.');
    expect(ask?.confirmLabel).toBe('Make again (≈ $0.40)');
  });

  it('always asks for a job that needs attention, even when its price is not known or nothing', () => {
    expect(joinedAsk([{ input: 'lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'needs_attention', null)])?.confirmLabel).toBe('Make again');
    expect(joinedAsk([{ input: 'lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'needs_attention', 0)])).not.toBeNull();
  });

  it('several images: the total price, and how many of their jobs need attention', () => {
    const joined = [
      { input: 'a.png', jobId: 'a', sameDrop: false },
      { input: 'b.png', jobId: 'b', sameDrop: false },
    ];
    const ask = joinedAsk(joined, [job('a', 'needs_attention', 0.3), job('b', 'queued', 0.3)]);
    expect(ask?.title).toBe('Make 2 images again?');
    expect(ask?.body[0]).toMatch(/1 of those jobs needs your attention: FAL may already have run it and charged for it\.$/);
    expect(ask?.body[1]).toBe('Making them again starts 2 new generations that are charged again (≈ $0.60). The jobs they joined stay in the queue.');
  });

  it('a copy in the same drop', () => {
    expect(joinedAsk([{ input: 'duck copy.png', jobId: 'a', sameDrop: true }], [job('a', 'queued', 0.3)])?.body[0]).toBe('duck copy.png shares one job with the same image in this drop.');
  });

  it('free and nothing needs attention (the offline generator): nothing to ask', () => {
    expect(joinedAsk([{ input: 'lamp.png', jobId: 'a', sameDrop: false }], [job('a', 'running', 0)])).toBeNull();
    expect(duplicatesAsk([{ input: 'mug.png' }], 0)).toBeNull();
  });

  it('images already made: asks with the price of each new job', () => {
    const ask = duplicatesAsk([{ input: 'mug.png' }, { input: 'cup.png' }], 0.3);
    expect(ask?.body).toEqual(['2 images were already made with these settings; their models are in your library.', 'Making them again starts 2 new generations that are charged again (≈ $0.60).']);
    expect(ask?.confirmLabel).toBe('Make again (≈ $0.60)');
  });

  it('asks with the joined job of now: one that finished or failed since is not "on its way"', () => {
    const one = [{ input: 'lamp.png', jobId: 'a', sameDrop: false }];
    expect(joinedAsk(one, [job('a', 'succeeded', 0.4)])?.body[0]).toBe('The earlier job for lamp.png has since finished; its model is in your library.');
    expect(joinedAsk(one, [job('a', 'failed', 0.4)])?.body[0]).toBe('The earlier job for lamp.png has since failed.');
    const two = [
      { input: 'a.png', jobId: 'a', sameDrop: false },
      { input: 'b.png', jobId: 'b', sameDrop: false },
    ];
    expect(joinedAsk(two, [job('a', 'succeeded', 0.3), job('b', 'running', 0.3)])?.body[0]).toBe('These 2 images joined earlier jobs with the same settings; 1 of those jobs has ended since.');
  });
});
