// How many models the library holds (for the sidebar), kept current by 'library:changed'.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';

export function useLibraryCount(): number | null {
  const [count, setCount] = useState<number | null>(null);
  const timer = useRef<number | null>(null);
  const load = useCallback(() => {
    call('library:list', { offset: 0, limit: 1 }).then((r) => setCount(r.total), () => {});
  }, []);
  useApiEvent('library:changed', () => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      load();
    }, 300);
  });
  useEffect(() => {
    load();
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [load]);
  return count;
}
