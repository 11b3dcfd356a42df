// The export worker thread's entry: runs one recipe per request, off the main process's event loop, and
// sends the files back (transferred, not copied). Built by electron-vite as out/main/export-worker.js;
// run from source under tsx by the CLI and the tests.
import { parentPort, threadId } from 'node:worker_threads';
import { runRecipe } from './pipeline';
import { WorkerRequestSchema, type WorkerMessage } from './worker-protocol';
import { lowerThisThreadPriority } from '../workers/background-priority';
import { isLowLevelError } from '../util/low-level-error';
import { errorMessage } from '../util/errors';

const TRANSFER_MIN_BYTES = 64 * 1024;
const port = parentPort;
if (!port) throw new Error('The export worker must run in a worker thread.');
lowerThisThreadPriority();

const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (raw: unknown) => {
  void (async () => {
    try {
      const { source, recipe, stem } = WorkerRequestSchema.parse(raw);
      const { files, plan, preview } = await runRecipe(source, recipe, stem, { onStep: (step) => send({ type: 'step', step }) });
      // Large results are moved, not copied; small ones may live in Node's shared Buffer pool, which
      // must not be transferred. A buffer shared by several files (pass-through GLB = preview) goes once.
      const buffers = new Set<ArrayBuffer>();
      for (const { buffer } of [preview, ...files.map((f) => f.data)]) {
        if (buffer instanceof ArrayBuffer && buffer.byteLength >= TRANSFER_MIN_BYTES) buffers.add(buffer);
      }
      send({ type: 'done', threadId, files, plan, preview }, [...buffers]);
    } catch (error) {
      send({ type: 'failed', message: errorMessage(error), lowLevel: isLowLevelError(error) });
    }
  })();
});
