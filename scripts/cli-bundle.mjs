// The CLI bundled with esbuild, so a start runs plain JavaScript instead of compiling TypeScript
// through tsx (~1 s of every start). Built on the first run after the sources change, into
// .cache/cli/<stamp>/, where the stamp is a hash of everything that makes the bundle: the content of
// every source file (folders linked into src/ followed), the tsconfig the build reads, esbuild's
// version and this script. A changed, added or removed one gives a new stamp and a new build, so old
// code never runs. Each build has its own folder (moved into place whole), so processes running an
// older build, or building the same one at once, never see a half-written or mixed bundle. Its list
// of files and their sizes is written last and checked at every start (one small read, a stat a file):
// a build missing a part or with one cut short - even a chunk only one command loads - is set aside
// and built anew before anything runs.
// A build is removed by renaming it aside first, so a removal killed half way never leaves a partial
// build under a stamp. Plain JavaScript: it runs before any TypeScript can.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

/** Folders whose files make the bundle (the metafile check below refuses a build that reads others). */
export const SOURCE_ROOTS = ['src/cli', 'src/core', 'src/shared'];
/** Single files it reads: package.json gives the version (src/core/version.ts). */
const SOURCE_FILES = ['package.json'];
/** The compiler options the build reads (and those it extends): the ones the CLI is type-checked with. */
const TSCONFIG = 'tsconfig.node.json';
/** The list of a build's files, written into it last: a build without it, or missing a file it names, is not whole. */
export const MANIFEST = 'build-files.json';
/**
 * The CLI and the worker-thread entries, by the names src/core/workers/start-worker.ts looks for next
 * to the chunk that starts them (the same names electron.vite.config.ts gives them in the app).
 */
const ENTRIES = {
  cli: 'src/cli/main.ts',
  'glb-worker': 'src/core/library/glb-worker.ts',
  'export-worker': 'src/core/export/worker.ts',
  'checkpoint-worker': 'src/core/db/checkpoint-worker.ts',
};
/** A build not started again for this long is deleted when a newer one is made. */
const KEEP_UNUSED_MS = 7 * 24 * 3600 * 1000;

const cacheDir = (root) => join(root, '.cache', 'cli');

/**
 * Every file under `dir`. A linked folder is followed (once: a link back up would loop), and the real
 * paths of the files found through links go to `linked` (esbuild reports them by their real path).
 */
function listFiles(dir, into, linked, seen = new Set(), throughLink = false) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let viaLink = throughLink;
    if (entry.isSymbolicLink()) {
      let target;
      try {
        target = statSync(path);
      } catch {
        continue; // a dangling link has no content (a source importing through it fails to build)
      }
      isDir = target.isDirectory();
      viaLink = true;
      if (isDir) {
        const real = realpathSync(path);
        if (seen.has(real)) continue;
        seen.add(real);
      }
    }
    if (isDir) listFiles(path, into, linked, seen, viaLink);
    else {
      into.push(path);
      if (viaLink) linked.add(realpathSync(path));
    }
  }
  return into;
}

/** The tsconfig files the build reads: TSCONFIG and, in order, the local files it extends. */
function tsconfigChain(root) {
  const chain = [];
  const visit = (file) => {
    if (chain.includes(file) || !existsSync(file)) return;
    chain.push(file);
    const text = readFileSync(file, 'utf8');
    const value = /"extends"\s*:\s*(\[[^\]]*\]|"[^"]*")/.exec(text)?.[1] ?? '';
    for (const [, name] of value.matchAll(/"([^"]+)"/g)) {
      // A package's tsconfig (node_modules) changes with the package version, outside the sources.
      if (!name.startsWith('.')) continue;
      const path = join(dirname(file), name);
      visit(path.endsWith('.json') ? path : `${path}.json`);
    }
  };
  visit(join(root, TSCONFIG));
  return chain;
}

/** The version of the esbuild the build would load (from its package.json: loading esbuild costs a start ~20 ms). */
function esbuildVersion() {
  try {
    return String(JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version);
  } catch {
    return 'none'; // not installed: nothing can be built, a build made before may still run
  }
}

/** The stamp of the sources as they are now, and the real paths of the files reached through linked folders. */
function stampOf(root) {
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL(import.meta.url)));
  hash.update(`\0esbuild ${esbuildVersion()}\0`);
  const linked = new Set();
  const files = SOURCE_ROOTS.flatMap((dir) => listFiles(join(root, dir), [], linked))
    .concat(SOURCE_FILES.map((file) => join(root, file)))
    .sort()
    .concat(tsconfigChain(root));
  for (const file of files) {
    const content = readFileSync(file);
    hash.update(`\0${relative(root, file).split(sep).join('/')}\0${content.length}\0`);
    hash.update(content);
  }
  return { stamp: hash.digest('hex').slice(0, 20), linked };
}

/** Hash of everything the bundle is made from (see the header). */
export function sourceStamp(root) {
  return stampOf(root).stamp;
}

function realPath(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A file esbuild read that the stamp does not cover (its changes would not cause a rebuild), if any. */
function uncoveredInput(root, metafile, linked) {
  for (const input of Object.keys(metafile.inputs)) {
    if (linked.size > 0 && linked.has(realPath(join(root, input)))) continue;
    const path = relative(root, join(root, input)).split(sep).join('/');
    if (path.startsWith('..') || isAbsolute(path) || path.includes('node_modules/')) continue;
    if (SOURCE_FILES.includes(path) || SOURCE_ROOTS.some((dir) => path.startsWith(`${dir}/`))) continue;
    return path;
  }
  return null;
}

async function build(root, target, linked) {
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
    tsconfig: TSCONFIG,
    // Packages load from node_modules as under tsx: native better-sqlite3 and sharp, draco's wasm.
    packages: 'external',
    outdir: target,
    metafile: true,
    logLevel: 'silent',
  }).finally(() => esbuild.stop());
  const uncovered = uncoveredInput(root, result.metafile, linked);
  if (uncovered) throw new Error(`The CLI bundle reads ${uncovered}, which scripts/cli-bundle.mjs does not watch.`);
  const files = Object.keys(result.metafile.outputs).map((output) => relative(target, join(root, output)).split(sep).join('/'));
  // Last: a build that has its list has every file the list names (until something removes one), at
  // the size it was written (a power cut soon after leaves a file renamed into place empty or cut short).
  writeFileSync(join(target, MANIFEST), JSON.stringify(files.map((file) => [file, statSync(join(target, file)).size])));
}

/**
 * Whether the build in `dir` has its list and every file on it at its size: one small read and one
 * stat a file (about ten), well under 1 ms.
 */
export function isWhole(dir) {
  try {
    const files = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    return (
      Array.isArray(files) &&
      files.length > 0 &&
      files.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && statSync(join(dir, entry[0]), { throwIfNoEntry: false })?.size === entry[1])
    );
  } catch {
    return false;
  }
}

/**
 * Removes a build: renamed aside first (one step), then deleted. A deletion killed half way leaves a
 * hidden .trash- folder (removed by the next clean-up), never part of a build under its stamp.
 */
export function setAside(dir) {
  const trash = join(dirname(dir), `.trash-${basename(dir)}-${randomBytes(4).toString('hex')}`);
  try {
    renameSync(dir, trash);
  } catch {
    return; // gone already (another process set it aside)
  }
  rmSync(trash, { recursive: true, force: true });
}

function pruneOthers(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (name === keep) continue;
    const path = join(dir, name);
    try {
      // A removal killed half way: finished now.
      if (name.startsWith('.trash-')) rmSync(path, { recursive: true, force: true });
      // A build under way in another process, or one it left when killed (never run: hidden).
      else if (name.startsWith('.')) {
        if (now - statSync(path).mtimeMs > 3600_000) rmSync(path, { recursive: true, force: true });
      } else if (now - statSync(path).mtimeMs > KEEP_UNUSED_MS) setAside(path);
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
  const { stamp, linked } = stampOf(root);
  const dir = join(cacheDir(root), stamp);
  const entry = join(dir, 'cli.js');
  if (isWhole(dir)) {
    try {
      // Marks the build as in use, so pruning (by age) spares it.
      const now = new Date();
      utimesSync(dir, now, now);
    } catch {
      // A read-only folder: the build still runs.
    }
    return entry;
  }
  // Damaged (a file removed by hand, or by a clean-up of an older version of this script): built anew.
  if (existsSync(dir)) setAside(dir);
  mkdirSync(cacheDir(root), { recursive: true });
  const temp = join(cacheDir(root), `.build-${stamp}-${process.pid}`);
  try {
    await build(root, temp, linked);
    // A source saved while esbuild read the sources may be in this bundle, which must not be kept
    // under the stamp of the sources before the save (undoing the save would run it): not kept,
    // this start runs the sources through tsx and the next one builds again.
    if (sourceStamp(root) !== stamp) throw new Error('The CLI sources changed during the build.');
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another process finished the same build first: use theirs.
      if (!isWhole(dir)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  pruneOthers(cacheDir(root), stamp);
  return entry;
}
