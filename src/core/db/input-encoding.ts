// How this data folder's photos are encoded for upload (migration 22 'input_jpeg'). It decides the
// bytes, and so the sha256, by which a photo dropped again is matched to its earlier job
// (images/prepare.ts JpegEncoding): one folder keeps one encoding.
import type { Database } from 'better-sqlite3';
import type { JpegEncoding } from '../images/prepare';

export function inputJpegEncoding(db: Database): JpegEncoding {
  const row = db.prepare("SELECT value FROM library_meta WHERE key = 'input_jpeg'").get() as { value?: unknown } | undefined;
  // Anything else (a row edited by hand): the encoding that keeps a folder's earlier photos matching.
  return row?.value === 'fast' ? 'fast' : 'mozjpeg';
}
