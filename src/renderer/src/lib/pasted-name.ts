// The name an image sent by bytes (paste, browser drop) travels with: the contract takes 1-255 UTF-16
// units. A longer name is cut where it costs least: its file extension stays (the name becomes the
// model's, without the extension - a cut that took ".png" away left the model named after half a
// word), and a '…' before it shows that it was cut; the cut is between characters with no space left
// at its end. 'image' stands in when nothing is left (a blank name, or one whose first character alone
// is over the limit) - an empty name failed the whole add.
import { fileExtension } from '../../../shared/name-from-file';
import { graphemes, shorten } from '../../../shared/text-cut';

export const BYTES_NAME_MAX = 255;
const CUT_MARK = '…';

export interface BytesName {
  name: string;
  /** The name was longer than the contract takes and was cut to fit. */
  cut: boolean;
}

export function bytesItemName(fileName: string): BytesName {
  const whole = fileName.trim();
  if (whole.length <= BYTES_NAME_MAX) return { name: whole || 'image', cut: false };
  // Only a real extension (name-from-file, the rule the model's name is made by): "v1.2" is no file type.
  const extension = fileExtension(whole);
  const room = BYTES_NAME_MAX - extension.length;
  const stem = shorten(whole.slice(0, whole.length - extension.length), room, CUT_MARK, room);
  return { name: `${stem === CUT_MARK ? 'image' : stem}${extension}`, cut: true };
}

/** A cut name as the note shows it: its start, then '…' and its extension (the cut name ends so too). */
export function nameForNote(name: string, head = 40): string {
  const characters = graphemes(name);
  if (characters.length <= head + 12) return name;
  return `${characters.slice(0, head).join('').trimEnd()}${CUT_MARK}${fileExtension(name)}`;
}

/** What the intake notice says of names cut to fit (`names` as sent); null when none was cut. */
export function shortenedNote(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const typesKept = names.every((name) => fileExtension(name) !== '');
  if (names.length === 1) {
    return `A name longer than ${BYTES_NAME_MAX} characters was shortened to fit${typesKept ? ', keeping its file type' : ''}: “${nameForNote(names[0]!)}”.`;
  }
  return `${names.length} names longer than ${BYTES_NAME_MAX} characters were shortened to fit${typesKept ? ', keeping their file types' : ''}.`;
}
