// The toast list: successes and notes fade after a few seconds, errors stay a little longer.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ToastInput } from '../app-context';
import type { Toast } from '../components/Toasts';

const MAX_TOASTS = 4;

export function useToasts(): { toasts: Toast[]; push(input: ToastInput): void; dismiss(id: number): void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, number>());
  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
    const timer = timers.current.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.current.delete(id);
  }, []);
  const push = useCallback(
    (input: ToastInput) => {
      const id = nextId.current++;
      const tone = input.tone ?? 'info';
      setToasts((list) => [...list.filter((t) => t.text !== input.text), { id, tone, text: input.text, action: input.action }].slice(-MAX_TOASTS));
      timers.current.set(id, window.setTimeout(() => dismiss(id), tone === 'error' ? 10_000 : 5_000));
    },
    [dismiss],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);
  return { toasts, push, dismiss };
}
