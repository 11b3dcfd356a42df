// A worker entry when running from source (CLI through tsx, tests, the web bridge): a worker thread
// does not inherit the parent's tsx hooks, so it registers them before loading the TypeScript entry
// named in workerData (see start-worker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
