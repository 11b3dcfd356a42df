// One rule for a file name made from a model's or photo's name (the export studio's pattern, the
// auto-export, the CLI's --out file, the save dialog's suggestion): no characters a file system
// refuses, nothing Windows or Finder would hide, and short enough for every file system - which
// counts bytes, not characters (255 bytes on Linux and macOS: 120 kanji are 360) - and nothing that
// makes the name show as something else.
import { notADevice } from './device-names';

/** UTF-8 bytes a stem may take: room is left for `-12`, `_LOD3`, `_texture12.webp` and the atomic write's temp prefix. */
export const MAX_STEM_BYTES = 150;
const MAX_STEM_CHARACTERS = 120;
const LONE_SURROGATE = /^[\ud800-\udfff]$/;
/**
 * Bidi embeddings, overrides and isolates: invisible, they reorder how the rest of the name is shown -
 * "photo\u202egpj" + ".glb" shows as "photoblg.jpg" in Explorer and Finder, a model passed off as a
 * picture (or a program as a model). Dropped; the name's letters keep their natural direction.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** `text` as a file-name stem (without extension), or `fallback` when nothing usable is left. */
export function safeFileStem(text: string, fallback = 'model'): string {
  const cleaned = text
    .replace(BIDI_CONTROLS, '')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]+/g, '_')
    .replace(/^[.\s]+/, '');
  let stem = '';
  let bytes = 0;
  let characters = 0;
  // By whole characters (code points), never half of an emoji.
  for (const code of cleaned) {
    // A lone half of a surrogate pair has no UTF-8 form: the file would be named with U+FFFD instead.
    const character = LONE_SURROGATE.test(code) ? '_' : code;
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > MAX_STEM_BYTES || ++characters > MAX_STEM_CHARACTERS) break;
    stem += character;
  }
  // Trimmed again after the cut, which may have left a trailing dot or space (Windows drops those).
  stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
  return stem ? notADevice(stem) : fallback;
}
