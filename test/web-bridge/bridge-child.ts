// The browser transport in a process of its own, for tests that must see whether a request can end
// the process: starts the real app core behind the bridge and prints its address as one JSON line.
//   node --import tsx test/web-bridge/bridge-child.ts <dataDir> <staticDir>
import { startWebApp } from '../../src/web-bridge/start';

const [dataDir, staticDir] = process.argv.slice(2);
if (!dataDir || !staticDir) throw new Error('usage: bridge-child.ts <dataDir> <staticDir>');
const app = await startWebApp({ dataDir, staticDir, env: { FAL_KEY: process.env.FAL_KEY } });
console.log(JSON.stringify({ url: app.bridge.url, origin: app.bridge.origin, token: app.bridge.token }));
process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
