import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentBoot, isCurrentBoot } from '../../../src/core/util/boot';

afterEach(() => vi.unstubAllEnvs());

describe('boot identity', () => {
  it('is stable within a process', () => {
    expect(currentBoot()).toBe(currentBoot());
    expect(currentBoot()).toMatch(/^(id|t):./);
    expect(isCurrentBoot(currentBoot())).toBe(true);
  });

  it('tells another boot and anything unreadable apart from this boot', () => {
    vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'boot-a');
    const a = currentBoot();
    vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'boot-b');
    expect(isCurrentBoot(a)).toBe(false);
    expect(isCurrentBoot(currentBoot())).toBe(true);
    expect(isCurrentBoot(null)).toBe(false);
    expect(isCurrentBoot('')).toBe(false);
    expect(isCurrentBoot('garbage')).toBe(false);
  });

  it('boot times from the clock match within clock slack only', () => {
    expect(isCurrentBoot('t:1000000', 't:1000012')).toBe(true);
    expect(isCurrentBoot('t:1000000', 't:1000300')).toBe(false);
    expect(isCurrentBoot('t:abc', 't:1000000')).toBe(false);
    expect(isCurrentBoot('id:1000000', 't:1000000')).toBe(false);
  });

  it('does not depend on the host name (a Mac renames itself with its network)', async () => {
    vi.resetModules();
    vi.doMock('node:os', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:os')>()), hostname: () => 'renamed-host' }));
    const again = await import('../../../src/core/util/boot');
    expect(again.isCurrentBoot(currentBoot())).toBe(true);
    vi.doUnmock('node:os');
  });
});
