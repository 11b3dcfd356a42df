import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentBoot, isCurrentBoot } from '../../../src/core/util/boot';

afterEach(() => vi.unstubAllEnvs());

describe('boot identity', () => {
  it('is stable within a process and names this host', () => {
    expect(currentBoot()).toBe(currentBoot());
    expect(currentBoot().startsWith(`${hostname()}|`)).toBe(true);
    expect(isCurrentBoot(currentBoot())).toBe(true);
  });

  it('tells another boot, another host and anything unreadable apart from this boot', () => {
    vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'boot-a');
    const a = currentBoot();
    vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'boot-b');
    expect(isCurrentBoot(a)).toBe(false);
    expect(isCurrentBoot(currentBoot())).toBe(true);
    expect(isCurrentBoot(null)).toBe(false);
    expect(isCurrentBoot('')).toBe(false);
    expect(isCurrentBoot('garbage')).toBe(false);
    expect(isCurrentBoot('other-host|id:boot-b')).toBe(false);
  });

  it('boot times from the clock match within clock slack only, and never across hosts', () => {
    const host = hostname();
    expect(isCurrentBoot(`${host}|t:1000000`, `${host}|t:1000012`)).toBe(true);
    expect(isCurrentBoot(`${host}|t:1000000`, `${host}|t:1000300`)).toBe(false);
    expect(isCurrentBoot('other|t:1000000', `${host}|t:1000000`)).toBe(false);
    expect(isCurrentBoot(`${host}|t:abc`, `${host}|t:1000000`)).toBe(false);
  });
});
