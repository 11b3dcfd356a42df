// Starts a worker thread on one of the app's worker entries, built or from source.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** Its bundle's name: electron.vite.config.ts builds each entry next to main (out/main/<name>.js). */
  bundle: string;
  /** Its TypeScript source, relative to `from` (the caller's import.meta.url). */
  source: string;
  from: string;
  /** Says what is missing when a build lacks the bundle ("The export worker..."). */
  label: string;
  /** The worker's workerData (an object: from source, from-source.mjs's `entry` is added to it). */
  data?: Record<string, unknown>;
}

/**
 * The built app has the entry bundled next to main (or one folder up from a chunk); from source
 * (CLI, tests, web bridge) from-source.mjs registers tsx before loading the entry.
 */
export function startWorker(entry: WorkerEntry): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    for (const candidate of [`./${entry.bundle}.js`, `../${entry.bundle}.js`]) {
      const url = new URL(candidate, here);
      if (existsSync(fileURLToPath(url))) return new Worker(url, { workerData: entry.data });
    }
    throw new Error(`${entry.label} is missing from this build.`);
  }
  // Built from variables on purpose: the bundler must not treat the source path as an asset.
  return new Worker(new URL('./from-source.mjs', here), { workerData: { ...entry.data, entry: new URL(entry.source, entry.from).href } });
}
