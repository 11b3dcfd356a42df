// The export worker when running from source (CLI through tsx, tests, the web bridge): a worker thread
// does not inherit the parent's tsx hooks, so it registers them before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
