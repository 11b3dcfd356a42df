// An export into a folder that stops at one of its steps: `kill` there kills this process (SIGKILL, as
// a crash or the task manager would), `hold` waits there for a line on stdin and then finishes it.
// A four-file set (GLB, OBJ, MTL, texture) as the export studio writes it (writeNewFiles), or with a
// fifth argument (a model file) one copy as the automatic export and the CLI's --out make (copyToFreePath).
import { createInterface } from 'node:readline';
import { copyToFreePath } from '../../src/core/auto-export';
import { writeNewFiles } from '../../src/core/export/write';
import type { ExportFile } from '../../src/core/export/pipeline';

const [dir, action, at, model] = process.argv.slice(2) as [string, 'kill' | 'hold', string, string | undefined];
const text = (s: string) => new TextEncoder().encode(s);
const filesFor = (stem: string): ExportFile[] => [
  { name: `${stem}.glb`, format: 'glb', data: text('glTF the chair'), triangles: 1 },
  { name: `${stem}.obj`, format: 'obj', data: text(`mtllib ${stem}.mtl\n`), triangles: 1 },
  { name: `${stem}.mtl`, format: 'obj', data: text(`newmtl m\nmap_Kd ${stem}_texture0.png\n`), triangles: null },
  { name: `${stem}_texture0.png`, format: 'obj', data: new Uint8Array([1, 2, 3]), triangles: null },
];

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const step = async (what: string) => {
  if (what !== at) return;
  process.stdout.write(`at ${what}\n`);
  if (action === 'kill') {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  }
  await lines.next();
};
const written = model ? [await copyToFreePath(model, dir, 'chair', step)] : await writeNewFiles(dir, 'chair', filesFor, step);
process.stdout.write(JSON.stringify({ written }) + '\n');
process.exit(0);
