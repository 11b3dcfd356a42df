import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/result';
import { createDispatcher } from '../../../src/core/ipc/dispatch';

const appInfo = {
  name: 'Image2Model',
  version: '1.2.3',
  dataDir: '/data',
  fileBaseUrl: 'i2m://library/',
  platform: 'linux',
  falKey: { configured: true, source: 'environment' as const },
  transport: 'electron' as const,
};

function dispatcherWith(partial: Partial<Handlers>, errors: unknown[] = []) {
  return createDispatcher(partial as Handlers, { error: (_m, detail) => errors.push(detail) });
}

describe('createDispatcher', () => {
  it('returns the handler data for a valid call', async () => {
    const dispatch = dispatcherWith({ 'app:info': async () => appInfo });
    await expect(dispatch('app:info', undefined)).resolves.toEqual({ ok: true, data: appInfo });
  });

  it('refuses unknown channels, including prototype names', async () => {
    const dispatch = dispatcherWith({});
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const result = await dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('a channel without a handler answers in plain words (it used to be "internal" from a TypeError)', async () => {
    const errors: unknown[] = [];
    const result = await dispatcherWith({}, errors)('stats:get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unsupported', message: expect.stringContaining('not available (stats:get)') } });
  });

  it('rejects input that fails the channel schema without calling the handler', async () => {
    let called = false;
    const dispatch = dispatcherWith({
      'jobs:cancel': async () => {
        called = true;
        throw new Error('unreachable');
      },
    });
    const result = await dispatch('jobs:cancel', { id: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toMatch(/id/);
    }
    expect(called).toBe(false);
  });

  it('passes parsed input (with defaults) to the handler', async () => {
    let seen: unknown;
    const dispatch = dispatcherWith({
      'library:list': async (input) => {
        seen = input;
        return { items: [], total: 0 };
      },
    });
    await dispatch('library:list', {});
    expect(seen).toEqual({ offset: 0, limit: 100 });
  });

  it('turns an AppError into its code and message', async () => {
    const dispatch = dispatcherWith({
      'library:get': async () => {
        throw new AppError('not_found', 'That model was not found.');
      },
    });
    await expect(dispatch('library:get', { id: 'abc' })).resolves.toEqual({
      ok: false,
      error: { code: 'not_found', message: 'That model was not found.' },
    });
  });

  it('hides internal errors behind a generic message and logs them', async () => {
    const errors: unknown[] = [];
    const dispatch = dispatcherWith(
      {
        'jobs:list': async () => {
          throw new Error('SQLITE_CORRUPT at /secret/path');
        },
      },
      errors,
    );
    const result = await dispatch('jobs:list', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('/secret/path');
    expect(errors).toHaveLength(1);
  });

  it('refuses to send a result that breaks the output schema', async () => {
    const dispatch = dispatcherWith({ 'app:info': async () => ({ ...appInfo, version: 7 }) as never });
    await expect(dispatch('app:info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
