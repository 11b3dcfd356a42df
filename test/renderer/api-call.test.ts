// A channel the page's window.api lacks (an older preload, a test double without it) or one whose call
// breaks instead of answering reached the user as the minified TypeError "n is not a function" (seen
// in the Stats view). Every such failure is now an ApiCallError in plain words naming the channel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../src/shared/contract';
import { ApiCallError, callChannel, noAnswerMessage } from '../../src/renderer/src/api-call';

const failure = (run: () => Promise<unknown>) =>
  run().then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

afterEach(() => vi.restoreAllMocks());

describe('callChannel', () => {
  it('returns the data of an ok result, and throws the app\'s own message and code for an error', async () => {
    const api = {
      'stats:get': () => Promise.resolve({ ok: true as const, data: { from: null } }),
      'key:status': () => Promise.resolve({ ok: false as const, error: { code: 'not_found', message: 'That model was not found.' } }),
    } as unknown as Partial<Api>;
    await expect(callChannel(api, 'stats:get', {})).resolves.toEqual({ from: null });
    const error = await failure(() => callChannel(api, 'key:status', undefined));
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'not_found', message: 'That model was not found.' });
  });

  it('a missing channel says the app could not answer, never "is not a function"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = await failure(() => callChannel({}, 'stats:get', {}));
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'unsupported', message: noAnswerMessage('stats:get') });
    expect(String((error as Error).message)).not.toMatch(/is not a function/);
  });

  it('a call that throws or rejects, or answers something else than a result, says the same', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken: Record<string, () => unknown> = {
      'stats:get': () => {
        throw new TypeError('n is not a function');
      },
      'jobs:list': () => Promise.reject(new TypeError('Cannot read properties of undefined')),
      'queue:state': () => Promise.resolve(undefined),
      'cost:summary': () => Promise.resolve({ ok: false, error: 'nope' }),
    };
    for (const channel of ['stats:get', 'jobs:list', 'queue:state', 'cost:summary'] as const) {
      const error = await failure(() => callChannel(broken as unknown as Partial<Api>, channel, undefined));
      expect(error).toBeInstanceOf(ApiCallError);
      expect(error).toMatchObject({ code: 'internal', message: noAnswerMessage(channel) });
    }
  });
});
