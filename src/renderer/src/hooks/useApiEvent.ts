// Subscribes to one app event for the component's lifetime; the latest handler always runs.
import { useEffect, useEffectEvent } from 'react';
import type { EventListener, EventName } from '../../../shared/contract';
import { api } from '../api';

export function useApiEvent<E extends EventName>(event: E, handler: EventListener<E>): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => api.on(event, (payload) => onEvent(payload)), [event]);
}
