// Reading one of FAL's platform lists to its end, page by page (request history, prices, billing
// events), bounded: at most `maxPages` pages, at most MAX_PAGE_ENTRIES entries a page, and all pages
// together within one answer's byte cap, so a list that never ends is an error, not a full memory.
import type { z } from 'zod';
import { PLATFORM_ANSWER_MAX_BYTES, type PlatformCall } from './platform-call';
import { PlatformError } from './platform-errors';

/** The most entries one page of a platform list may hold: FAL's largest page (billing events, limit <= 10,000). */
export const MAX_PAGE_ENTRIES = 10_000;

/** A list as far as it was read: its entries in order, and why it ended early (null: read to its end). */
export interface ListSoFar<T> {
  entries: T[];
  failure: PlatformError | null;
  /** The failure is only that the list did not end within the pages read (its pages themselves were fine). */
  cutOff: boolean;
}

type PageShape = { next_cursor?: string | null; has_more?: boolean };

/**
 * Readers of lists over `call`. `pages`: the list's entries, in order, or the error that stopped it; a
 * list cut off (more than `maxPages` pages, or "more" with no cursor) is an error when `mustBeComplete`,
 * else returned as far as it was read. `soFar`: never fails for a platform reason - what was read before
 * the list failed or was cut off comes back with that failure (billing events: the charges read count,
 * and the read still counts as failed).
 */
export function createPageReader(call: PlatformCall, maxPages: number) {
  const cutOff = (path: string) =>
    new PlatformError('bad_answer', `FAL's list ${path} was cut off: it could not be read to the end (more than ${maxPages} pages, or "more" with no cursor).`);

  async function soFar<T, P extends PageShape>(schema: z.ZodType<P>, path: string, params: URLSearchParams, items: (page: P) => T[]): Promise<ListSoFar<T>> {
    const entries: T[] = [];
    let cursor: string | null = null;
    // Every page is kept until the list ends: pages that never end hold no more than one answer may.
    const list = { bytesLeft: PLATFORM_ANSWER_MAX_BYTES };
    try {
      for (let n = 0; n < maxPages; n++) {
        const query = new URLSearchParams(params);
        if (cursor) query.set('cursor', cursor);
        const page = await call(schema, 'GET', path, query, undefined, list);
        const found = items(page);
        if (found.length > MAX_PAGE_ENTRIES) {
          throw new PlatformError('bad_answer', `FAL's platform API sent a page of more than ${MAX_PAGE_ENTRIES} entries (${path}), more than any of its lists holds; it was not read.`);
        }
        for (const entry of found) entries.push(entry);
        cursor = page.next_cursor ?? null;
        if (page.has_more === false) return { entries, failure: null, cutOff: false };
        // "More" with no cursor to read it: the list is not complete, whatever the page says.
        if (!cursor) return page.has_more === true ? { entries, failure: cutOff(path), cutOff: true } : { entries, failure: null, cutOff: false };
      }
      return { entries, failure: cutOff(path), cutOff: true };
    } catch (error) {
      if (error instanceof PlatformError) return { entries, failure: error, cutOff: false };
      throw error;
    }
  }

  async function pages<T, P extends PageShape>(schema: z.ZodType<P>, path: string, params: URLSearchParams, items: (page: P) => T[], mustBeComplete = false): Promise<T[]> {
    const { entries, failure, cutOff: short } = await soFar(schema, path, params, items);
    // A cut-off request history proves nothing about what is missing from it (reconciliation
    // would call a received submit "never received" and let it be paid again).
    if (failure && (mustBeComplete || !short)) throw failure;
    return entries;
  }

  return { pages, soFar };
}
