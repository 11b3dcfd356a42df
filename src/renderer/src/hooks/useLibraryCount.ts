// How many models the library holds (for the sidebar), kept current by 'library:changed'.
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';
import { useRefreshSoon } from './useRefreshSoon';

export function useLibraryCount(): number | null {
  const [count, setCount] = useState<number | null>(null);
  const load = useCallback(() => {
    call('library:list', { offset: 0, limit: 1 }).then((r) => setCount(r.total), () => {});
  }, []);
  const loadSoon = useRefreshSoon(load, 300);
  useApiEvent('library:changed', loadSoon);
  useEffect(load, [load]);
  return count;
}
