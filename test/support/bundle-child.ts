// Child processes that tests start many times (crash and chaos tests) are bundled once with esbuild
// (tsx's own compiler): each start then costs a fraction of what `node --import tsx` needs. The
// bundle lives under node_modules/.cache so native packages still resolve; tsx is the fallback.
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Packages with native parts or data files: loaded from node_modules, not bundled. */
const EXTERNAL = ['better-sqlite3', 'sharp', 'gltf-validator', '@gltf-transform/*', 'draco3dgltf', 'meshoptimizer'];

export interface ChildCommand {
  /** Arguments for `node` that run the child. */
  args: string[];
  /** Removes the bundle (nothing to do for the tsx fallback). */
  dispose(): void;
}

export async function bundleChild(source: string, root: string): Promise<ChildCommand> {
  try {
    const { build } = await import('esbuild');
    const outDir = join(root, 'node_modules', '.cache', 'image2model-children');
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, `${basename(source, '.ts')}-${process.pid}-${Date.now()}.mjs`);
    await build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: EXTERNAL,
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    return { args: [outfile], dispose: () => rmSync(outfile, { force: true }) };
  } catch {
    return { args: ['--import', 'tsx', source], dispose: () => undefined };
  }
}
