// Reading one of FAL's platform lists to its end, page by page (request history, prices, billing
// events), bounded: at most `maxPages` pages, at most MAX_PAGE_ENTRIES entries a page, and all pages
// together within one answer's byte cap, so a list that never ends is an error, not a full memory.
import type { z } from 'zod';
import { PLATFORM_ANSWER_MAX_BYTES, type PlatformCall } from './platform-call';
import { PlatformError } from './platform-errors';

/** The most entries one page of a platform list may hold: FAL's largest page (billing events, limit <= 10,000). */
export const MAX_PAGE_ENTRIES = 10_000;

/**
 * A reader of lists over `call`. The list's entries, in order; a list cut off (more than `maxPages`
 * pages, or "more" with no cursor) is an error when `mustBeComplete`, else told to `onCutOff` and
 * returned as far as it was read.
 */
export function createPageReader(call: PlatformCall, maxPages: number) {
  return async function pages<T, P extends { next_cursor?: string | null; has_more?: boolean }>(
    schema: z.ZodType<P>,
    path: string,
    params: URLSearchParams,
    items: (page: P) => T[],
    mustBeComplete = false,
    onCutOff: () => void = () => undefined,
  ): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    // Every page is kept until the list ends: pages that never end hold no more than one answer may.
    const list = { bytesLeft: PLATFORM_ANSWER_MAX_BYTES };
    for (let n = 0; n < maxPages; n++) {
      const query = new URLSearchParams(params);
      if (cursor) query.set('cursor', cursor);
      const page = await call(schema, 'GET', path, query, undefined, list);
      const entries = items(page);
      if (entries.length > MAX_PAGE_ENTRIES) {
        throw new PlatformError('bad_answer', `FAL's platform API sent a page of more than ${MAX_PAGE_ENTRIES} entries (${path}), more than any of its lists holds; it was not read.`);
      }
      for (const entry of entries) out.push(entry);
      cursor = page.next_cursor ?? null;
      if (page.has_more === false) return out;
      if (!cursor) {
        // "More" with no cursor to read it: the list is not complete, whatever the page says.
        if (page.has_more !== true) return out;
        if (mustBeComplete) break;
        onCutOff();
        return out;
      }
    }
    // A cut-off request history proves nothing about what is missing from it (reconciliation
    // would call a received submit "never received" and let it be paid again).
    if (mustBeComplete) throw new PlatformError('bad_answer', `FAL's list ${path} could not be read to the end (more than ${maxPages} pages, or "more" with no cursor).`);
    onCutOff();
    return out;
  };
}
