// The watched folder's status, live via 'watch:changed'; set() takes the answer of a watch channel.
import { useEffect, useState } from 'react';
import type { WatchStatus } from '../../../shared/watch';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';

export function useWatchStatus(): { status: WatchStatus | null; set(status: WatchStatus): void } {
  const [status, setStatus] = useState<WatchStatus | null>(null);
  useApiEvent('watch:changed', setStatus);
  useEffect(() => {
    let live = true;
    call('watch:status').then((answer) => live && setStatus(answer), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return { status, set: setStatus };
}
