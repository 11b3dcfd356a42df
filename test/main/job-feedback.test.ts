// Taskbar/dock progress and notifications from engine events, over the headless Platform.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { createHeadlessPlatform } from '../../src/core/platform';
import { describeFinished, watchJobs } from '../../src/main/job-feedback';

function job(id: string, patch: Partial<Job> = {}): Job {
  return {
    id,
    state: 'queued',
    endpoint: 'tripo3d/tripo/v2.5/image-to-3d',
    preset: 'standard',
    inputName: `${id}.png`,
    inputSha256: 'x'.repeat(64),
    progress: 0,
    queuePosition: null,
    message: null,
    errorCode: null,
    errorMessage: null,
    attempts: 0,
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    modelId: null,
    estimatedCostUsd: null,
    falRequestId: null,
    requestFinished: false,
    ...patch,
  };
}

function setup(existing: Job[] = [], notifications = true) {
  const listeners: ((job: Job) => void)[] = [];
  const engine = {
    listJobs: () => existing,
    on: (_event: 'job', listener: (job: Job) => void) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  };
  const platform = createHeadlessPlatform();
  const clicks: ((() => void) | undefined)[] = [];
  const notify = platform.notify;
  platform.notify = (title, body, onClick) => {
    clicks.push(onClick);
    notify(title, body, onClick);
  };
  const opened: string[] = [];
  let focused = 0;
  const settings = { notifications };
  const stop = watchJobs({
    engine: engine as never,
    platform,
    notificationsEnabled: () => settings.notifications,
    openModel: (id) => opened.push(id),
    focusWindow: () => focused++,
    redact: (text) => text.replaceAll('SECRET', '[redacted]'),
    coalesceMs: 1000,
  });
  const emit = (j: Job) => listeners.forEach((l) => l(j));
  const notes = () => platform.calls.filter((c) => c.startsWith('notify'));
  const progress = () => platform.calls.filter((c) => c.startsWith('progress'));
  return { emit, notes, progress, clicks, opened, focused: () => focused, settings, stop, listeners };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('taskbar progress', () => {
  it('shows the mean progress of open jobs and the number running, and clears when all are done', () => {
    const t = setup();
    expect(t.progress()).toEqual(['progress none 0']);
    t.emit(job('a', { state: 'running', progress: 50 }));
    t.emit(job('b', { state: 'queued', progress: 0 }));
    t.emit(job('b', { state: 'preparing', progress: 10 }));
    t.emit(job('a', { state: 'succeeded', progress: 100, modelId: 'm1' }));
    t.emit(job('b', { state: 'failed', progress: 10 }));
    expect(t.progress()).toEqual([
      'progress none 0',
      'progress 0.50 1',
      'progress 0.25 1',
      'progress 0.30 2',
      'progress 0.10 1',
      'progress none 0',
    ]);
  });

  it('counts jobs left from the last session', () => {
    const t = setup([job('old', { state: 'queued' }), job('done', { state: 'succeeded', progress: 100 })]);
    expect(t.progress()).toEqual(['progress 0.00 0']);
  });
});

describe('notifications', () => {
  it('notifies once when a job finishes; clicking opens its model', () => {
    const t = setup();
    t.emit(job('a', { state: 'running', progress: 40 }));
    t.emit(job('a', { state: 'succeeded', progress: 100, modelId: 'model-a' }));
    t.emit(job('a', { state: 'succeeded', progress: 100, modelId: 'model-a' }));
    expect(t.notes()).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(t.notes()).toEqual(['notify Model ready: a.png is ready to view.']);
    t.clicks[0]!();
    expect(t.opened).toEqual(['model-a']);
  });

  it('says why a job failed (redacted) and focuses the window on click', () => {
    const t = setup();
    t.emit(job('b', { state: 'running' }));
    t.emit(job('b', { state: 'failed', errorMessage: 'FAL refused SECRET' }));
    vi.advanceTimersByTime(1000);
    expect(t.notes()).toEqual(['notify Model failed: b.png: FAL refused [redacted]']);
    t.clicks[0]!();
    expect(t.focused()).toBe(1);
    expect(t.opened).toEqual([]);
  });

  it('combines jobs that finish together into one notification', () => {
    const t = setup();
    for (const id of ['a', 'b', 'c']) t.emit(job(id, { state: 'running' }));
    t.emit(job('a', { state: 'succeeded', modelId: 'ma' }));
    t.emit(job('b', { state: 'succeeded', modelId: 'mb' }));
    t.emit(job('c', { state: 'failed' }));
    vi.advanceTimersByTime(1000);
    expect(t.notes()).toEqual(['notify Jobs finished: 2 models ready, 1 failed.']);
  });

  it('stays quiet when notifications are off, for canceled jobs, and for jobs finished before start', () => {
    const off = setup([], false);
    off.emit(job('a', { state: 'running' }));
    off.emit(job('a', { state: 'succeeded', modelId: 'm' }));
    vi.advanceTimersByTime(1000);
    expect(off.notes()).toEqual([]);

    const t = setup([job('old', { state: 'succeeded', modelId: 'm' })]);
    t.emit(job('old', { state: 'succeeded', modelId: 'm' }));
    t.emit(job('c', { state: 'running' }));
    t.emit(job('c', { state: 'canceled' }));
    vi.advanceTimersByTime(1000);
    expect(t.notes()).toEqual([]);
  });

  it('stops listening and drops pending notifications when stopped', () => {
    const t = setup();
    t.emit(job('a', { state: 'running' }));
    t.emit(job('a', { state: 'succeeded', modelId: 'm' }));
    t.stop();
    vi.advanceTimersByTime(1000);
    expect(t.notes()).toEqual([]);
    expect(t.listeners).toHaveLength(0);
  });

  it('describes batches in plain words', () => {
    expect(describeFinished([{ job: job('x', { modelId: 'm' }), outcome: 'succeeded' }, { job: job('y', { modelId: 'n' }), outcome: 'succeeded' }])).toEqual({
      title: 'Jobs finished',
      body: '2 models ready.',
      modelId: null,
    });
  });
});
