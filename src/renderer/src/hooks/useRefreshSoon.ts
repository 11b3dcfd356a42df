// A burst of events (a batch of new models, jobs ending together) asks for one refresh, not one each:
// the first ask runs `refresh` after `delayMs`, the asks until then join it. A refresh still waiting
// is dropped when `refresh` changes (it would read what is no longer shown) and on unmount.
import { useCallback, useEffect, useRef } from 'react';

export function useRefreshSoon(refresh: () => void, delayMs: number): () => void {
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = null;
    },
    [refresh],
  );
  return useCallback(() => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      refresh();
    }, delayMs);
  }, [refresh, delayMs]);
}
