// An outside caller sent one call with 200,000 unknown option keys: the engine's thread was blocked for
// seconds and the answer was a ~29 MB error listing every key. The dispatcher now refuses an object with
// that many names before any schema or handler sees it, with a short answer naming only the first few.
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../src/shared/contract';
import { createDispatcher } from '../../src/core/ipc/dispatch';

const ATTACK_KEYS = 200_000;
const MAX_ANSWER_CHARS = 2048;

function manyKeys(count: number): Record<string, number> {
  const keys: Record<string, number> = {};
  for (let i = 0; i < count; i++) keys[`k${i}`] = i;
  return keys;
}

function spyDispatcher() {
  const calls: { name: string; input: unknown }[] = [];
  // What the handler answers does not matter here; what it was given does.
  const record = (name: string) => async (input: unknown) => {
    calls.push({ name, input });
    return undefined;
  };
  const handlers = { 'jobs:add': record('jobs:add'), 'settings:set': record('settings:set'), 'jobs:setModel': record('jobs:setModel') };
  return { dispatch: createDispatcher(handlers as unknown as Handlers), calls };
}

const item = { kind: 'path', path: '/photos/a.png' };

describe('a call with a huge number of unknown keys', () => {
  const cases: [string, string, unknown][] = [
    ['jobs:add options (a record of any names)', 'jobs:add', { items: [item], options: manyKeys(ATTACK_KEYS) }],
    ['jobs:add top level (extra names beside items)', 'jobs:add', { items: [item], ...manyKeys(ATTACK_KEYS) }],
    ['settings:set (a strict object)', 'settings:set', manyKeys(ATTACK_KEYS)],
    ['jobs:setModel (a strict object)', 'jobs:setModel', { id: 'job-1', endpoint: 'fal-ai/x', ...manyKeys(ATTACK_KEYS) }],
  ];

  for (const [label, channel, input] of cases) {
    it(`${label}: refused with a short answer naming the first unknown keys`, async () => {
      const { dispatch, calls } = spyDispatcher();
      const result = await dispatch(channel, input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message.length).toBeLessThan(MAX_ANSWER_CHARS);
      expect(result.error.message).toContain('"k0"');
      expect(result.error.message).toContain('"k1"');
      expect(result.error.message).not.toContain('"k10"');
      expect(result.error.message).toMatch(/and 199,99\d more/);
      // Names the schema knows are not blamed.
      expect(result.error.message).not.toMatch(/"(items|id|endpoint)"/);
      expect(calls).toEqual([]);
    });
  }

  it('a strict object with a few unknown keys still names them all', async () => {
    const { dispatch } = spyDispatcher();
    const result = await dispatch('jobs:setModel', { id: 'job-1', endpoint: 'fal-ai/x', colour: 1, size: 2 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) expect(result.error.message).toMatch(/"colour".*"size"/);
  });

  it('an unknown key thousands of characters long is shortened in the answer', async () => {
    const { dispatch } = spyDispatcher();
    const result = await dispatch('jobs:setModel', { id: 'job-1', endpoint: 'fal-ai/x', ['x'.repeat(100_000)]: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeLessThan(MAX_ANSWER_CHARS);
  });

  it('valid input is passed on as before: options, image bytes, and a settings patch', async () => {
    const { dispatch, calls } = spyDispatcher();
    const bytes = new Uint8Array(100_000);
    const jobs = { items: [{ kind: 'bytes', name: 'a.png', bytes }, item], options: { face_limit: 5000, texture: true } };
    await dispatch('jobs:add', jobs);
    await dispatch('settings:set', { theme: 'dark' });
    expect(calls).toEqual([
      { name: 'jobs:add', input: jobs },
      { name: 'settings:set', input: { theme: 'dark' } },
    ]);
  });
});
