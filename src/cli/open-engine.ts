// The engine a CLI command runs on: the app's data folder, key, proxy route, spending cap and photo
// limits, read as the app reads them (one folder, one queue, one month's spend).
import { appInputLimits, appSpendingCap } from './app-settings';
import { createEngine, type Engine } from '../core/engine';
import { keyGuardFetch, routeFromCommandLine } from '../core/fal/key-guard';
import { nodeFetch } from '../core/fal/node-fetch';
import { createCliLogger } from './logger';
import { cliDataDir, rememberCliDataDir } from './data-folder';
import { cliFalKey, cliOtherKeys } from './keys';

export interface CommonOptions {
  dataDir?: string;
  startFresh?: boolean;
  falProxy?: string;
  json: boolean;
}

/** `dataDir`: the commands that only read pass the one readDataDir found; the others make a missing one. */
export function openEngine(opts: CommonOptions & { concurrency?: number }, dataDir: string = cliDataDir(opts)): Engine {
  // Typing --fal-proxy / IMAGE2MODEL_FAL_PROXY is the user's confirmation; the key guard applies the rest.
  const route = routeFromCommandLine(opts.falProxy ?? process.env.IMAGE2MODEL_FAL_PROXY ?? null, process.env);
  const engine = createEngine({
    dataDir,
    getFalKey: cliFalKey,
    getOtherKeys: cliOtherKeys,
    falProxyUrl: route.proxyUrl,
    fetch: keyGuardFetch(nodeFetch, () => route),
    concurrency: opts.concurrency ?? 2,
    logger: createCliLogger(dataDir),
    // The cap set in the app holds the CLI's FAL jobs too: one folder, one month's spend.
    getSpendingCapUsd: appSpendingCap(dataDir),
    // Prepared as the app prepares them, so a photo it made is known again here.
    inputLimits: appInputLimits(dataDir),
  });
  rememberCliDataDir(dataDir);
  return engine;
}
