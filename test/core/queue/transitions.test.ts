import { describe, expect, it } from 'vitest';
import { JOB_STATES, TERMINAL_STATES, type JobState } from '../../../src/shared/domain';
import { assertTransition, canTransition, nextStates, statesLeadingTo, TransitionError } from '../../../src/core/queue/transitions';

describe('job transitions', () => {
  it('allows the happy path of a FAL job', () => {
    const path: JobState[] = ['queued', 'preparing', 'submitted', 'running', 'downloading', 'succeeded'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('allows the offline path (no submit)', () => {
    expect(canTransition('preparing', 'running')).toBe(true);
    expect(canTransition('running', 'downloading')).toBe(true);
  });

  it('lets every active state go back to queued (back-off, pause, stop) and be canceled', () => {
    for (const s of ['preparing', 'submitted', 'running', 'downloading'] as const) {
      expect(canTransition(s, 'queued')).toBe(true);
      expect(canTransition(s, 'canceled')).toBe(true);
      expect(canTransition(s, 'failed')).toBe(true);
    }
  });

  it('never leaves succeeded or canceled', () => {
    expect(nextStates('succeeded')).toEqual([]);
    expect(nextStates('canceled')).toEqual([]);
  });

  it('only retries failed and needs_attention jobs, back to queued', () => {
    expect(nextStates('failed')).toEqual(['queued']);
    expect(nextStates('needs_attention')).toEqual(['queued']);
    expect(statesLeadingTo('queued').sort()).toEqual(
      ['downloading', 'failed', 'needs_attention', 'preparing', 'running', 'submitted'].sort(),
    );
  });

  it('only marks ambiguous submissions from the submit steps', () => {
    expect(statesLeadingTo('needs_attention').sort()).toEqual(['preparing', 'submitted']);
  });

  it('refuses shortcuts that skip the library checks or resurrect jobs', () => {
    expect(canTransition('queued', 'succeeded')).toBe(false);
    expect(canTransition('running', 'succeeded')).toBe(false);
    expect(canTransition('queued', 'running')).toBe(false);
    expect(canTransition('canceled', 'queued')).toBe(false);
    expect(() => assertTransition('succeeded', 'queued')).toThrow(TransitionError);
  });

  it('covers every state', () => {
    for (const s of JOB_STATES) expect(Array.isArray(nextStates(s))).toBe(true);
    for (const s of TERMINAL_STATES) expect(canTransition(s, 'running')).toBe(false);
  });
});
