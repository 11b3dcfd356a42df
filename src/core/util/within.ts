// "Is this path inside that folder", written once for every boundary that asks it: the photo-folder
// scan, the watched folder's app-folder refusal, the data folder's stored paths, the app://renderer
// protocol and the browser bridge's static files (test/attack/path-containment.test.ts attacks each).
// By path.relative, not by string prefix: a sibling /data/library-evil is not inside /data/library,
// `..` steps and trailing slashes are resolved away, and on Windows case and drive letters count as
// Windows counts them.
import fs from 'node:fs';
import nodePath, { type PlatformPath } from 'node:path';

/**
 * `path` is `root` itself or inside it, by the text of the paths (both resolved first). For a
 * boundary that links must not cross, pass real paths (realpath), as realFileWithin does.
 * `paths`: another platform's rules (path.win32), for tests.
 */
export function isWithin(path: string, root: string, paths: PlatformPath = nodePath): boolean {
  const rel = paths.relative(root, path);
  // On Windows a path on another drive comes back absolute; `..foo` is a name inside, not a step out.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel));
}

// Through the fs object at call time, so Electron's asar support (which patches fs) applies.
const realPath = (path: string) =>
  new Promise<string>((resolve, reject) => fs.realpath(path, (error, real) => (error ? reject(error) : resolve(real))));

/**
 * The real path of the file a URL path names under `root` (`/assets/app.js`, already decoded), or
 * null when it is not really inside `root` after following links, or is `root` itself, or is not there.
 * Refused before the disk is asked: `..` steps, backslashes (a separator on Windows) and NUL bytes.
 */
export async function realFileWithin(root: string, urlPath: string): Promise<string | null> {
  const steps = urlPath.split('/');
  if (/[\\\0]/.test(urlPath) || steps.includes('..')) return null;
  try {
    const realRoot = await realPath(root);
    const real = await realPath(nodePath.join(realRoot, ...steps));
    return real !== realRoot && isWithin(real, realRoot) ? real : null;
  } catch {
    return null;
  }
}
