// `npm run dev:web`: the real app core plus the renderer in any browser on this machine, over the
// loopback WebSocket transport. `--static out/renderer` serves a built renderer (used by e2e tests);
// otherwise Vite serves the sources with hot reload.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../src/core/paths';
import { forgetDataFolder, knownFoldersFile } from '../src/core/data-folder-record';
import { startWebApp } from '../src/web-bridge/start';

const { values } = parseArgs({
  options: {
    static: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'fal-proxy': { type: 'string' },
    // What the folder picker answers (a browser has no folder dialog); default <data>/exports.
    'picked-folder': { type: 'string' },
    json: { type: 'boolean', default: false },
    // An empty library where a data folder that held one is missing (asked for, never silently).
    'start-fresh': { type: 'boolean', default: false },
  },
});

const dataDir = resolveDataDir(values['data-dir']);
// The core makes the data folder; made here, a missing one would be made anew before it is checked.
const knownFolders = knownFoldersFile(process.env);
if (values['start-fresh']) forgetDataFolder(dataDir, knownFolders);
const env = { ...process.env, ...(values['fal-proxy'] ? { IMAGE2MODEL_FAL_PROXY: values['fal-proxy'] } : {}) };

let middleware: Parameters<typeof startWebApp>[0]['middleware'];
let closeVite: (() => Promise<void>) | null = null;
if (!values.static) {
  const { createServer } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const { relaxCspInDev } = await import('./vite-dev-csp');
  const vite = await createServer({
    configFile: false,
    root: resolve('src/renderer'),
    plugins: [react(), relaxCspInDev()],
    server: { middlewareMode: true, hmr: { port: 0 } },
    appType: 'spa',
  });
  middleware = (req, res, next) => vite.middlewares(req, res, next);
  closeVite = () => vite.close();
}

const app = await startWebApp({
  dataDir,
  knownFolders: { file: knownFolders, startFresh: 'To start with an empty library in that place instead, run again with --start-fresh.' },
  staticDir: values.static ? resolve(values.static) : undefined,
  middleware,
  port: values.port ? Number(values.port) : 0,
  env,
  pickedFolder: values['picked-folder'] ? resolve(values['picked-folder']) : undefined,
  // With --json (the e2e tests), what the headless platform did is printed too: links it would open...
  platformLog: values.json ? (line) => console.log(JSON.stringify({ platform: line })) : undefined,
}).catch(async (error: unknown) => {
  // A start refused (the data folder missing...): its message, not a stack trace.
  await closeVite?.();
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

if (values.json) console.log(JSON.stringify({ appUrl: app.bridge.appUrl, dataDir }));
else console.log(`Image2Model is running at ${app.bridge.appUrl}\nData folder: ${dataDir}\nPress Ctrl+C to stop.`);

const shutdown = async () => {
  await app.close();
  await closeVite?.();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
