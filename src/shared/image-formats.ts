// The image formats the intake takes in: the one list. The content check (core/images/sniff.ts), the
// folder scan and the file pickers (by extension) and every message that names them read it, so a
// message can no longer leave out a format that is accepted (it said "PNG, JPEG or WebP" while GIF and
// AVIF were taken too).

export const ACCEPTED_IMAGE_FORMATS = [
  { kind: 'png', label: 'PNG', mimes: ['image/png', 'image/apng'], extensions: ['png'] },
  { kind: 'jpeg', label: 'JPEG', mimes: ['image/jpeg'], extensions: ['jpg', 'jpeg'] },
  { kind: 'webp', label: 'WebP', mimes: ['image/webp'], extensions: ['webp'] },
  { kind: 'gif', label: 'GIF', mimes: ['image/gif'], extensions: ['gif'] },
  { kind: 'avif', label: 'AVIF', mimes: ['image/avif'], extensions: ['avif'] },
] as const;

/** An accepted format. GIF and AVIF are accepted but always converted before upload. */
export type AcceptedKind = (typeof ACCEPTED_IMAGE_FORMATS)[number]['kind'];

/** "PNG, JPEG, WebP, GIF or AVIF", for messages. */
export const ACCEPTED_IMAGE_NAMES = listWithOr(ACCEPTED_IMAGE_FORMATS.map((format) => format.label));

/** File name extensions of the accepted formats, lower case, without the dot ("png", "jpg"...). */
export const ACCEPTED_IMAGE_EXTENSIONS: readonly string[] = ACCEPTED_IMAGE_FORMATS.flatMap((format) => format.extensions);

function listWithOr(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
}
