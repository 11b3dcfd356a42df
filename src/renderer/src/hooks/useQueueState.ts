// Whole-queue state (running, paused and why), live via 'queue:changed'.
import { useEffect, useState } from 'react';
import type { QueueState } from '../../../shared/domain';
import { call } from '../api';
import { useApiEvent } from './useApiEvent';

export function useQueueState(): QueueState | null {
  const [state, setState] = useState<QueueState | null>(null);
  useApiEvent('queue:changed', setState);
  useEffect(() => {
    call('queue:state').then(setState, () => {});
  }, []);
  return state;
}
