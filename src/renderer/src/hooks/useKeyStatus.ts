// The FAL key's status (never the key itself) and the actions on it.
import { useCallback, useEffect, useState } from 'react';
import type { KeyStatus } from '../../../shared/domain';
import { call } from '../api';

export interface KeyApi {
  status: KeyStatus | null;
  set(key: string, allowWeak?: boolean): Promise<KeyStatus>;
  clear(): Promise<KeyStatus>;
  test(): Promise<{ result: 'accepted' | 'rejected' | 'unchecked' | 'unreachable' | 'no_key'; message: string }>;
  refresh(): void;
}

export function useKeyStatus(): KeyApi {
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const refresh = useCallback(() => {
    call('key:status').then(setStatus, () => {});
  }, []);
  useEffect(refresh, [refresh]);
  const set = useCallback(async (key: string, allowWeak?: boolean) => {
    const next = await call('key:set', { key, allowWeak });
    setStatus(next);
    return next;
  }, []);
  const clear = useCallback(async () => {
    const next = await call('key:clear');
    setStatus(next);
    return next;
  }, []);
  const test = useCallback(() => call('key:test'), []);
  return { status, set, clear, test, refresh };
}
