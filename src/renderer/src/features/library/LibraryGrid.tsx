// The library grid, virtualized by rows: only the rows on screen exist in the DOM and only their
// pages are fetched, so 10,000 models scroll like 10. Arrow keys move between cards (one tab stop).
// Cells are one flat list keyed by their index, each placed by its own transform: a change of columns
// (the width measured, the details pane opened, a scrollbar) or new data only moves or refills cells,
// so the card holding the keyboard focus is never re-mounted and keeps it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import type { LibraryApi } from '../../hooks/useLibrary';
import { ModelCard, ModelCardSkeleton } from './ModelCard';
import '../export/library-select.css';

const GAP = 14;
const MIN_CARD = 176;
const INFO_HEIGHT = 70;

export interface LibraryGridProps {
  library: LibraryApi;
  selectedId: string | null;
  /** Changes when the query or sort changes: scroll back to the top. */
  resetKey: string;
  onOpen(model: LibraryModel): void;
  onDelete(model: LibraryModel): void;
  /** Multi-select for export: ticked models; while `selecting` (or with Ctrl/Cmd/Shift) a click ticks. */
  checkedIds?: ReadonlySet<string>;
  selecting?: boolean;
  onToggleCheck?(model: LibraryModel): void;
}

export function LibraryGrid({ library, selectedId, resetKey, onOpen, onDelete, checkedIds, selecting, onToggleCheck }: LibraryGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    // Measured before the first paint: laid out in one column first, every card moved (re-mounted) a frame later.
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const inner = Math.max(0, width - 2 * GAP);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CARD + GAP)));
  const cardWidth = columns ? (inner - GAP * (columns - 1)) / columns : MIN_CARD;
  const rowHeight = Math.round(cardWidth * 0.75) + INFO_HEIGHT;
  const total = library.total ?? 0;
  const rows = Math.ceil(total / columns);

  // The virtualizer's functions are not memoizable; this component re-renders on scroll anyway.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight + GAP,
    overscan: 3,
    paddingStart: GAP,
    paddingEnd: GAP,
  });

  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setFocusIndex(0);
  }, [resetKey]);

  const virtualRows = virtualizer.getVirtualItems();
  const firstRow = virtualRows[0]?.index ?? 0;
  const lastRow = virtualRows[virtualRows.length - 1]?.index ?? 0;
  const { ensureRange } = library;
  useEffect(() => {
    ensureRange(firstRow * columns, (lastRow + 1) * columns);
  }, [ensureRange, firstRow, lastRow, columns]);

  // After arrow-key moves, focus the card once its row is rendered.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const card = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (card) {
      pendingFocus.current = null;
      card.focus({ preventScroll: true });
    }
  });

  const moveFocus = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(total - 1, index));
      pendingFocus.current = clamped;
      setFocusIndex(clamped);
      virtualizer.scrollToIndex(Math.floor(clamped / columns), { align: 'auto' });
    },
    [total, columns, virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: columns * 4,
      PageUp: -columns * 4,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveFocus(focusIndex + moves[event.key]!);
    } else if (event.key === 'Home') {
      event.preventDefault();
      moveFocus(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      moveFocus(total - 1);
    }
  };

  const onOpenCard = useCallback((model: LibraryModel) => onOpen(model), [onOpen]);

  return (
    <div ref={scrollRef} className="library-scroll" onKeyDown={onKeyDown} data-testid="library-grid">
      <div role="list" aria-label="Models" className="library-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualRows.flatMap((row) => {
          const cells = [];
          for (let col = 0, index = row.index * columns; col < columns && index < total; col++, index++) {
            const model = library.itemAt(index);
            const checked = model ? (checkedIds?.has(model.id) ?? false) : false;
            cells.push(
              <div
                key={index}
                className="library-cell"
                style={{ width: cardWidth, height: rowHeight, transform: `translate(${GAP + col * (cardWidth + GAP)}px, ${row.start}px)` }}
              >
                {model ? (
                  <div
                    className={`model-check-wrap${checked ? ' is-checked' : ''}${selecting ? ' is-selecting' : ''}`}
                    data-testid={checked ? 'model-checked' : undefined}
                    onClickCapture={(event) => {
                      if (!onToggleCheck || !(selecting || event.ctrlKey || event.metaKey || event.shiftKey)) return;
                      event.preventDefault();
                      event.stopPropagation();
                      onToggleCheck(model);
                    }}
                  >
                    {(selecting || checked) && (
                      <span className="model-check" aria-hidden="true">
                        {checked ? '✓' : ''}
                      </span>
                    )}
                    <ModelCard
                      model={model}
                      index={index}
                      total={total}
                      selected={model.id === selectedId}
                      focusable={index === Math.min(focusIndex, total - 1)}
                      onOpen={onOpenCard}
                      onDelete={onDelete}
                      onFocusIndex={setFocusIndex}
                    />
                  </div>
                ) : (
                  <ModelCardSkeleton />
                )}
              </div>,
            );
          }
          return cells;
        })}
      </div>
    </div>
  );
}
