import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../../src/core/queue/throttle';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

function setup() {
  const sent: [string, number][] = [];
  const throttle = createThrottle<number>({ intervalMs: 100, emit: (key, value) => sent.push([key, value]) });
  return { sent, throttle };
}

describe('createThrottle', () => {
  it('sends the first update at once and coalesces the rest to the latest within the interval', () => {
    const { sent, throttle } = setup();
    for (let i = 1; i <= 50; i++) throttle.push('job', i);
    expect(sent).toEqual([['job', 1]]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([
      ['job', 1],
      ['job', 50],
    ]);
  });

  it('emits at most 10 a second per key under a constant stream', () => {
    const { sent, throttle } = setup();
    for (let t = 0; t < 1000; t += 5) {
      throttle.push('job', t);
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(200);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.at(-1)).toEqual(['job', 995]);
  });

  it('sends immediate values at once and drops the older pending one', () => {
    const { sent, throttle } = setup();
    throttle.push('job', 1);
    throttle.push('job', 2);
    throttle.push('job', 3, true);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([
      ['job', 1],
      ['job', 3],
    ]);
  });

  it('keeps keys independent', () => {
    const { sent, throttle } = setup();
    throttle.push('a', 1);
    throttle.push('b', 1);
    throttle.push('a', 2);
    expect(sent).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    vi.advanceTimersByTime(100);
    expect(sent).toContainEqual(['a', 2]);
  });

  it('flush delivers pending values now; dispose drops them', () => {
    const { sent, throttle } = setup();
    throttle.push('a', 1);
    throttle.push('a', 2);
    throttle.flush();
    expect(sent).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    throttle.push('a', 3);
    throttle.dispose();
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });
});

describe('createThrottle forget', () => {
  it('sends a pending value, then forgets the key', () => {
    const { sent, throttle } = setup();
    throttle.push('job', 1);
    throttle.push('job', 2);
    throttle.forget('job');
    expect(sent).toEqual([
      ['job', 1],
      ['job', 2],
    ]);
    throttle.push('job', 3);
    expect(sent.at(-1)).toEqual(['job', 3]);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(3);
  });
});
