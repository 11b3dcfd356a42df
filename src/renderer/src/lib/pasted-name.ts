// The name an image sent by bytes (paste, browser drop) travels with: the contract takes 1-255 UTF-16
// units. Cut between characters with no space left at its end; 'image' when nothing is left (a blank
// name, or one whose first character alone is over the limit) - an empty name failed the whole add.
import { cutName } from '../../../shared/text-cut';

export const BYTES_NAME_MAX = 255;

export function bytesItemName(fileName: string): string {
  return cutName(fileName, BYTES_NAME_MAX, BYTES_NAME_MAX) || 'image';
}
