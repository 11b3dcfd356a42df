// Image URL checks shared by buildInput: a wrong count is a caller bug that must not reach FAL
// (a request without its image would still be queued, and possibly billed).
import type { ModelInputImages } from './types';

/** The URLs, trimmed, after checking there are between min and max non-empty ones (the first is required). */
export function requireImageUrls(images: ModelInputImages, min: number, max: number, modelLabel: string): string[] {
  const urls = images.urls.map((u) => u.trim());
  const given = urls.filter((u) => u !== '').length;
  if (urls.length > max || given < min || urls[0] === undefined || urls[0] === '') {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new Error(`${modelLabel} takes ${wanted} image(s), the first one required; got ${given} of ${urls.length} slot(s).`);
  }
  return urls;
}
