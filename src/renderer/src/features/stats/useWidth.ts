// The rendered width of an element in CSS pixels, kept current (charts draw at 1:1 so their text
// stays at the page's font size whatever the card's width).
import { useEffect, useRef, useState } from 'react';

export function useWidth<T extends HTMLElement>(fallback = 520): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.round(entry?.contentRect.width ?? 0);
      if (next > 0) setWidth(next);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
