// The name a photo gives its job's model (library card, viewer title, exported files), in the app and
// the CLI: the file's name without its folders and without its extension - and only a real one.
// `path.extname` takes whatever follows the last dot, so a photo kept without its extension
// ("chair v1.2", a version number) lost ".2", and a set's name (already without extensions) lost
// what followed its last dot again: "chair v1.2" became "chair v1". Pure TS: renderer, CLI and core.

/**
 * Extensions of image files, lower case: those the intake takes and the other common image types a
 * photo may carry (its content decides whether it is taken, not its name).
 */
export const IMAGE_NAME_EXTENSIONS: readonly string[] = [
  'png', 'apng', 'jpg', 'jpeg', 'jpe', 'jfif', 'pjpeg', 'pjp', 'webp', 'gif', 'avif', 'heic', 'heif', 'bmp', 'tif', 'tiff',
];

/** The last part of a path: `shots/Mug_FRONT.jpg` or `C:\shots\Mug_FRONT.jpg` -> `Mug_FRONT.jpg`. */
export const fileBaseName = (name: string): string => name.split(/[\\/]/).pop() || name;

/**
 * The file's real extension with its dot (`.png`, `.JPG`), or '' - only one of `extensions` (any case)
 * after something else: `chair v1.2` has none, `.hidden` none, `a.b.c.jpeg` `.jpeg`.
 */
export function fileExtension(name: string, extensions: readonly string[] = IMAGE_NAME_EXTENSIONS): string {
  const base = fileBaseName(name);
  const dot = base.lastIndexOf('.');
  // A name that starts with its only dot (".hidden") is a name, not an extension.
  if (dot <= 0) return '';
  return extensions.includes(base.slice(dot + 1).toLowerCase()) ? base.slice(dot) : '';
}

/**
 * The file's name without folders and extension: `shots/chair v1.2.png` -> `chair v1.2`,
 * `photo.JPG` -> `photo`, `a.b.c.jpeg` -> `a.b.c`, `.hidden.png` -> `.hidden`. Only a real extension
 * (fileExtension) is removed, or an empty one (`name.` -> `name`: Windows drops that dot);
 * `chair v1.2` and `.hidden` keep their dots.
 */
export function nameWithoutExtension(name: string, extensions: readonly string[] = IMAGE_NAME_EXTENSIONS): string {
  const base = fileBaseName(name);
  const extension = fileExtension(base, extensions);
  if (extension) return base.slice(0, -extension.length);
  return base.length > 1 && base.endsWith('.') && !base.endsWith('..') ? base.slice(0, -1) : base;
}
