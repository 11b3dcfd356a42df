// The CLI bundled with esbuild, so a start runs plain JavaScript instead of compiling TypeScript
// through tsx (~1 s of every start). Built on the first run after the sources change, into
// .cache/cli/<stamp>/, where the stamp is a hash of the content of every file the bundle is made
// from: a changed, added or removed source gives a new stamp and a new build, so old code never runs.
// Each build has its own folder (moved into place whole), so processes running an older build, or
// building the same one at once, never see a half-written or mixed bundle. Plain JavaScript: it runs
// before any TypeScript can.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Folders whose files make the bundle (the metafile check below refuses a build that reads others). */
export const SOURCE_ROOTS = ['src/cli', 'src/core', 'src/shared'];
/** Single files it reads: package.json gives the version (src/core/version.ts). */
const SOURCE_FILES = ['package.json'];
/**
 * The CLI and the worker-thread entries, by the names src/core/workers/start-worker.ts looks for next
 * to the chunk that starts them (the same names electron.vite.config.ts gives them in the app).
 */
const ENTRIES = {
  cli: 'src/cli/main.ts',
  'glb-worker': 'src/core/library/glb-worker.ts',
  'export-worker': 'src/core/export/worker.ts',
};
/** A build not started again for this long is deleted when a newer one is made. */
const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

const cacheDir = (root) => join(root, '.cache', 'cli');

function listFiles(dir, into) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, into);
    else into.push(path);
  }
  return into;
}

/** Hash of this script (its build options) and of every source file's path and content. */
export function sourceStamp(root) {
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL(import.meta.url)));
  const files = SOURCE_ROOTS.flatMap((dir) => listFiles(join(root, dir), [])).concat(SOURCE_FILES.map((file) => join(root, file)));
  for (const file of files.sort()) {
    const content = readFileSync(file);
    hash.update(`\0${relative(root, file).split(sep).join('/')}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 20);
}

/** A file esbuild read that the stamp does not cover (its changes would not cause a rebuild), if any. */
function uncoveredInput(root, metafile) {
  for (const input of Object.keys(metafile.inputs)) {
    const path = relative(root, join(root, input)).split(sep).join('/');
    if (path.startsWith('..') || isAbsolute(path) || path.includes('node_modules/')) continue;
    if (SOURCE_FILES.includes(path) || SOURCE_ROOTS.some((dir) => path.startsWith(`${dir}/`))) continue;
    return path;
  }
  return null;
}

async function build(root, target) {
  const esbuild = await import('esbuild');
  // esbuild's service process goes with the build (a caller that lives on keeps no child behind).
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    bundle: true,
    // Shared code in chunks, and the CLI's lazy imports stay lazy (commands that make no model load less).
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Packages load from node_modules as under tsx: native better-sqlite3 and sharp, draco's wasm.
    packages: 'external',
    outdir: target,
    metafile: true,
    logLevel: 'silent',
  }).finally(() => esbuild.stop());
  const uncovered = uncoveredInput(root, result.metafile);
  if (uncovered) throw new Error(`The CLI bundle reads ${uncovered}, which scripts/cli-bundle.mjs does not watch.`);
}

function pruneOthers(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (name === keep) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > (name.startsWith('.') ? 3600_000 : KEEP_UNUSED_MS)) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already (another process pruned it).
    }
  }
}

/**
 * The path of the bundled CLI entry for the sources as they are now, built first when needed.
 * Throws when it cannot build (esbuild missing, a source that does not compile, a read-only folder):
 * the caller then runs the sources through tsx, which reports a compile error the usual way.
 */
export async function bundledCli(root) {
  const stamp = sourceStamp(root);
  const dir = join(cacheDir(root), stamp);
  const entry = join(dir, 'cli.js');
  if (existsSync(entry)) {
    try {
      // Marks the build as in use, so pruning (by age) spares it.
      const now = new Date();
      utimesSync(dir, now, now);
    } catch {
      // A read-only folder: the build still runs.
    }
    return entry;
  }
  mkdirSync(cacheDir(root), { recursive: true });
  const temp = join(cacheDir(root), `.build-${stamp}-${process.pid}`);
  try {
    await build(root, temp);
    // A source saved while esbuild read the sources may be in this bundle, which must not be kept
    // under the stamp of the sources before the save (undoing the save would run it): not kept,
    // this start runs the sources through tsx and the next one builds again.
    if (sourceStamp(root) !== stamp) throw new Error('The CLI sources changed during the build.');
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another process finished the same build first: use theirs.
      if (!existsSync(entry)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  pruneOthers(cacheDir(root), stamp);
  return entry;
}
