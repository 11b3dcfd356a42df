// Per-key event coalescing: at most one emit per `intervalMs` per key, the latest value always
// delivered, and "immediate" values (state changes) sent at once. A hundred busy jobs then cost the
// renderer at most 10 updates a second each, and no update is ever lost at the end.

export interface Throttle<T> {
  push(key: string, value: T, immediate?: boolean): void;
  /** Sends every pending value now. */
  flush(): void;
  /** Forgets a key that will not be pushed again (a finished job); a pending value is sent first. */
  forget(key: string): void;
  /** Drops pending values and timers. */
  dispose(): void;
}

export function createThrottle<T>(opts: {
  intervalMs: number;
  emit: (key: string, value: T) => void;
  now?: () => number;
}): Throttle<T> {
  const now = opts.now ?? Date.now;
  const lastSent = new Map<string, number>();
  const pending = new Map<string, { value: T; timer: ReturnType<typeof setTimeout> }>();

  const send = (key: string, value: T) => {
    lastSent.set(key, now());
    opts.emit(key, value);
  };

  const fire = (key: string) => {
    const entry = pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(key);
    send(key, entry.value);
  };

  return {
    push(key, value, immediate = false) {
      const waiting = pending.get(key);
      if (immediate) {
        if (waiting) {
          clearTimeout(waiting.timer);
          pending.delete(key);
        }
        send(key, value);
        return;
      }
      if (waiting) {
        waiting.value = value; // coalesce: the timer delivers the latest
        return;
      }
      const since = now() - (lastSent.get(key) ?? -Infinity);
      if (since >= opts.intervalMs) {
        send(key, value);
        return;
      }
      const timer = setTimeout(() => fire(key), opts.intervalMs - since);
      timer.unref?.();
      pending.set(key, { value, timer });
    },
    flush() {
      for (const [key, entry] of [...pending]) {
        clearTimeout(entry.timer);
        pending.delete(key);
        send(key, entry.value);
      }
    },
    forget(key) {
      fire(key);
      const entry = pending.get(key);
      if (entry) clearTimeout(entry.timer);
      pending.delete(key);
      lastSent.delete(key);
    },
    dispose() {
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
      lastSent.clear();
    },
  };
}
