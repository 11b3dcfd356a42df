// A process that adds photos to a shared data folder, as the app or a CLI run does: for each line on
// stdin (a photo's path, or `force <path>` for --force) it adds that photo through the engine's real intake and prints one JSON
// line - the jobs it follows and the images that joined one. The engine is not started (no job runs).
import { createInterface } from 'node:readline';
import { createEngine } from '../../src/core/engine';

const [dataDir] = process.argv.slice(2) as [string];
const engine = createEngine({ dataDir, getFalKey: () => null });
const TRIPO = { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' };

process.stdout.write(JSON.stringify({ ready: true }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  const force = line.startsWith('force ');
  const path = (force ? line.slice('force '.length) : line).trim();
  if (!path) continue;
  try {
    const result = await engine.addImages([{ kind: 'path', path }], { ...TRIPO, force });
    process.stdout.write(JSON.stringify({ path, added: result.added.map((job) => job.id), joined: result.joined ?? [] }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ path, error: error instanceof Error ? error.message : String(error) }) + '\n');
  }
}
await engine.close();
