// Starts the real app core behind the browser transport: used by `npm run dev:web` and the e2e tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore, type AppCore, type AppCoreOptions, type Logger } from '../core/app-core';
import { createMemoryKeyVault } from '../core/keys/memory-vault';
import { createMemoryRouteStore } from '../core/keys/route-store';
import { routeFromCommandLine } from '../core/fal/key-guard';
import { createHeadlessPlatform, type Platform } from '../core/platform';
import { createFileSettingsStore } from '../core/settings/file-store';
import type { Dispatch } from '../core/ipc/dispatch';
import { APP_VERSION } from '../core/version';
import { startBridge, type Bridge, type BridgeOptions } from './server';

export interface WebAppOptions {
  dataDir: string;
  staticDir?: string;
  middleware?: BridgeOptions['middleware'];
  port?: number;
  platform?: Platform;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  engineOverrides?: AppCoreOptions['engineOverrides'];
  /** The network below the key guard (tests); default global fetch. */
  fetch?: typeof fetch;
  /** Hears what the headless platform did (links opened, exports...), when no platform is given. */
  platformLog?: (line: string) => void;
  /** Where the sample photos are; default the project's resources/samples. */
  samplesDir?: string | null;
  /**
   * What the folder picker answers (there is no dialog in a browser), when no platform is given;
   * default the data folder's exports/. Given by whoever starts the server, never by the page.
   */
  pickedFolder?: string;
  /** See AppCoreOptions.knownFolders: a data folder gone missing is refused, not made anew. */
  knownFolders?: AppCoreOptions['knownFolders'];
}

/** The checkout's sample photos (the browser transport runs from the project folder). */
const PROJECT_SAMPLES_DIR = fileURLToPath(new URL('../../resources/samples', import.meta.url));

export interface WebApp {
  bridge: Bridge;
  core: AppCore;
  close(): Promise<void>;
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: (m, d) => console.error(m, d) };

export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const env = options.env ?? process.env;
  let core: AppCore | null = null;
  const dispatch: Dispatch = (channel, input) => core!.dispatch(channel, input);
  const bridge = await startBridge({
    dispatch,
    resolveFile: (route) => core?.resolveFile(route) ?? null,
    staticDir: options.staticDir,
    middleware: options.middleware,
    port: options.port,
  });
  const settings = createFileSettingsStore(join(options.dataDir, 'settings.json'));
  // The proxy comes from whoever started the server (flag or env), never from the page: the browser
  // transport has no dialog, so `proxy:set` is refused unless a platform that can ask is passed in.
  const route = createMemoryRouteStore(routeFromCommandLine(env.IMAGE2MODEL_FAL_PROXY, env));
  try {
    core = createWebCore(options, env, bridge, settings, route);
  } catch (error) {
    await bridge.close(); // a start refused (the data folder missing) leaves no server behind
    throw error;
  }
  await core.start((event, payload) => bridge.emit(event, payload));
  return {
    bridge,
    core,
    close: async () => {
      await core!.stop();
      await bridge.close();
    },
  };
}

function createWebCore(
  options: WebAppOptions,
  env: NodeJS.ProcessEnv,
  bridge: Bridge,
  settings: AppCoreOptions['settings'],
  route: ReturnType<typeof createMemoryRouteStore>,
): AppCore {
  return createAppCore({
    route,
    dataDir: options.dataDir,
    keys: createMemoryKeyVault(env),
    billingKeys: createMemoryKeyVault(env, 'FAL_ADMIN_KEY'),
    settings,
    platform:
      options.platform ??
      createHeadlessPlatform({
        exportDir: join(options.dataDir, 'exports'),
        pickedFolder: options.pickedFolder === undefined ? undefined : () => options.pickedFolder!,
        log: options.platformLog,
      }),
    appInfo: {
      name: 'Image2Model',
      version: APP_VERSION,
      dataDir: options.dataDir,
      fileBaseUrl: bridge.fileBaseUrl,
      platform: process.platform,
      transport: 'web',
    },
    logger: options.logger ?? quietLogger,
    engineOverrides: options.engineOverrides,
    fetch: options.fetch,
    samplesDir: options.samplesDir === undefined ? PROJECT_SAMPLES_DIR : options.samplesDir,
    knownFolders: options.knownFolders,
  });
}
