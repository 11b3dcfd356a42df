// Measures how much of the viewer the overlays cover, so the model is framed in what is left: the
// toolbar along the top, the statistics strip along the bottom of a small viewer, and an open panel
// along the right of a large one. Also tells whether the viewer is small (the library's side pane).
import { useLayoutEffect, useState, type RefObject } from 'react';
import { NO_INSETS, type Insets } from './engine/free-area';

/** Narrower than this (and not the large view), the viewer is "compact": stats off by default. */
export const COMPACT_WIDTH = 640;
/** Space kept between an overlay and the model. */
const GAP = 8;

export interface OverlayLayout {
  compact: boolean;
  insets: Insets;
}

/** `watch` lists what changes the overlays (open panel, stats shown...): measured again when it does. */
export function useOverlayInsets(root: RefObject<HTMLElement | null>, large: boolean, watch: readonly unknown[]): OverlayLayout {
  const [layout, setLayout] = useState<OverlayLayout>({ compact: false, insets: NO_INSETS });

  useLayoutEffect(() => {
    const element = root.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return;
      const compact = !large && box.width < COMPACT_WIDTH;
      const below = (selector: string) => {
        const overlay = element.querySelector(selector)?.getBoundingClientRect();
        return overlay ? Math.max(0, overlay.bottom - box.top + GAP) : 0;
      };
      const above = (selector: string) => {
        const overlay = element.querySelector(selector)?.getBoundingClientRect();
        return overlay ? Math.max(0, box.bottom - overlay.top + GAP) : 0;
      };
      const leftOf = (selector: string) => {
        const overlay = element.querySelector(selector)?.getBoundingClientRect();
        return overlay ? Math.max(0, box.right - overlay.left + GAP) : 0;
      };
      const insets: Insets = {
        top: below('.mv-topbar'),
        // In a small viewer the statistics run along the bottom; a panel there covers it anyway.
        bottom: compact ? above('.mv-stats') : 0,
        right: compact ? 0 : leftOf('.mv-panel'),
        left: 0,
      };
      setLayout((previous) =>
        previous.compact === compact && (Object.keys(insets) as (keyof Insets)[]).every((side) => Math.round(previous.insets[side]) === Math.round(insets[side]))
          ? previous
          : { compact, insets },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const overlay of element.querySelectorAll('.mv-topbar, .mv-stats, .mv-panel')) observer.observe(overlay);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `watch` is the list of what moves overlays
  }, [root, large, layout.compact, ...watch]);

  return layout;
}
