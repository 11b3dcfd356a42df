// The library as a sparse, paged list: the grid asks for the index range it shows and only those
// pages are fetched (library:list with offset/limit), so 10,000 models cost a few small requests.
// 'library:changed' marks every page stale; visible pages are fetched again, old data stays on
// screen until the new data arrives (no flicker).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { LibrarySortSchema } from '../../../shared/contract';
import type { LibraryModel } from '../../../shared/domain';
import { call } from '../api';
import { errorMessage } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

export type LibrarySort = z.infer<typeof LibrarySortSchema>;

const PAGE_SIZE = 100;

interface Cache {
  key: string;
  total: number | null;
  pages: ReadonlyMap<number, readonly LibraryModel[]>;
}

export interface LibraryApi {
  /** Number of models matching the query; null until the first page arrives. */
  total: number | null;
  error: string | null;
  /** The model at `index`, or null while its page is loading. */
  itemAt(index: number): LibraryModel | null;
  /** Makes sure the models in [start, end) are loaded. */
  ensureRange(start: number, end: number): void;
  /** Marks everything stale and reloads what is on screen (after rename/delete). */
  refresh(): void;
}

export function useLibrary(query: string, sort: LibrarySort): LibraryApi {
  const key = `${sort}\u0000${query}`;
  const [cache, setCache] = useState<Cache>({ key, total: null, pages: new Map() });
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  // page -> generation that is loaded / being loaded, for the current key only.
  const loaded = useRef(new Map<number, number>());
  const inflight = useRef(new Map<number, number>());
  const currentKey = useRef(key);
  const lastRange = useRef<[number, number]>([0, PAGE_SIZE]);

  const fetchPage = useCallback(
    (page: number) => {
      const gen = generation.current;
      const forKey = currentKey.current;
      inflight.current.set(page, gen);
      call('library:list', { query: query || undefined, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (result) => {
          if (currentKey.current !== forKey) return;
          if (inflight.current.get(page) === gen) inflight.current.delete(page);
          if ((loaded.current.get(page) ?? -1) > gen) return;
          loaded.current.set(page, gen);
          setError(null);
          setCache((prev) => {
            const pages = new Map(prev.key === forKey ? prev.pages : []);
            pages.set(page, result.items);
            // A shrinking library leaves pages past the end; drop them.
            const lastPage = Math.max(0, Math.ceil(result.total / PAGE_SIZE) - 1);
            for (const p of pages.keys()) if (p > lastPage) pages.delete(p);
            return { key: forKey, total: result.total, pages };
          });
        },
        (err) => {
          if (currentKey.current !== forKey) return;
          inflight.current.delete(page);
          setError(errorMessage(err));
        },
      );
    },
    [query, sort],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      const gen = generation.current;
      const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
      const last = Math.floor(Math.max(start, end - 1) / PAGE_SIZE);
      for (let page = first; page <= last; page++) {
        if (loaded.current.get(page) === gen || inflight.current.get(page) === gen) continue;
        fetchPage(page);
      }
    },
    [fetchPage],
  );

  const refresh = useCallback(() => {
    generation.current++;
    const [start, end] = lastRange.current;
    ensureRange(start, end);
  }, [ensureRange]);

  // A new query or sort starts from scratch.
  useEffect(() => {
    currentKey.current = key;
    loaded.current = new Map();
    inflight.current = new Map();
    ensureRange(0, PAGE_SIZE);
  }, [key, ensureRange]);

  // A batch of new models sends one event each: coalesce them into one reload.
  const refreshTimer = useRef<number | null>(null);
  useApiEvent('library:changed', () => {
    if (refreshTimer.current !== null) return;
    refreshTimer.current = window.setTimeout(() => {
      refreshTimer.current = null;
      refresh();
    }, 250);
  });
  useEffect(() => () => {
    if (refreshTimer.current !== null) clearTimeout(refreshTimer.current);
  }, []);

  const pages = cache.key === key ? cache.pages : null;
  const itemAt = useCallback(
    (index: number) => pages?.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] ?? null,
    [pages],
  );
  return { total: cache.key === key ? cache.total : null, error, itemAt, ensureRange, refresh };
}
