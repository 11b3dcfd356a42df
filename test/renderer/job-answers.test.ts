// The window shows an action's answer only for jobs no event has overtaken since the call began: the
// events are sent for every change, in order, so they end on the truth; an answer may be older.
import { describe, expect, it } from 'vitest';
import { createJobAnswers } from '../../src/renderer/src/lib/job-answers';

const job = (id: string) => ({ id });

describe('job answers and events', () => {
  it('keeps an answer for jobs with no event since the call began', () => {
    const answers = createJobAnswers();
    answers.eventArrived('a'); // before the call: older than the answer
    const since = answers.mark();
    expect(answers.current([job('a'), job('b')], since)).toEqual([job('a'), job('b')]);
    expect(answers.movedSince('a', since)).toBe(false);
  });

  it('drops the answer for a job whose event arrived while the call ran', () => {
    const answers = createJobAnswers();
    const since = answers.mark();
    answers.eventArrived('b'); // b ran and finished before jobs:add answered for the whole drop
    expect(answers.current([job('a'), job('b')], since)).toEqual([job('a')]);
    expect(answers.movedSince('b', since)).toBe(true);
    expect(answers.movedSince('a', since)).toBe(false);
  });

  it('judges each call from its own mark', () => {
    const answers = createJobAnswers();
    const first = answers.mark();
    answers.eventArrived('a');
    const second = answers.mark();
    expect(answers.current([job('a')], first)).toEqual([]);
    expect(answers.current([job('a')], second)).toEqual([job('a')]);
  });
});
