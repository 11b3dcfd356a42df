// The GLB check worker thread's entry: runs validateGlb (the Khronos validator blocks its thread for
// hundreds of ms on a large model) off the engine's event loop. Built by electron-vite as
// out/main/glb-worker.js; run from source under tsx by the CLI and the tests.
import { parentPort, threadId } from 'node:worker_threads';
import { validateGlb } from './glb';
import { GlbCheckRequestSchema, type GlbCheckAnswer } from './glb-worker-protocol';
import { lowerThisThreadPriority } from '../workers/background-priority';
import { errorMessage } from '../util/errors';

const port = parentPort;
if (!port) throw new Error('The GLB check worker must run in a worker thread.');
lowerThisThreadPriority();

port.on('message', (raw: unknown) => {
  void (async () => {
    let answer: GlbCheckAnswer;
    try {
      const { bytes } = GlbCheckRequestSchema.parse(raw);
      answer = { type: 'done', threadId, result: await validateGlb(bytes) };
    } catch (error) {
      answer = { type: 'failed', message: errorMessage(error) };
    }
    port.postMessage(answer);
  })();
});
