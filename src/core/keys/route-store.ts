// Where FAL calls go (direct, or through a proxy, with or without the key), as the user confirmed it.
// Kept apart from the settings on purpose: `settings:set` is what the page can write; this store is
// written only by the proxy flow after the main-process confirmation (services.ts `proxy:set`).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkProxyUrl, DIRECT_TO_FAL, type FalRoute } from '../fal/key-guard';

export interface FalRouteStore {
  get(): FalRoute;
  set(route: FalRoute): void;
}

const StoredRouteSchema = z.object({
  proxyUrl: z.string().nullable(),
  sendKeyToProxy: z.boolean(),
});

/** For the CLI, the browser transport and tests: the route named at start (flag or env), in memory. */
export function createMemoryRouteStore(initial: FalRoute = DIRECT_TO_FAL): FalRouteStore {
  let route = initial;
  return { get: () => route, set: (next) => void (route = next) };
}

/**
 * The desktop app's confirmed route, in a small JSON file of its own. A missing, unreadable or
 * invalid file (or a proxy address the rules refuse) means "directly to FAL".
 */
export function createFileRouteStore(path: string): FalRouteStore {
  const read = (): FalRoute => {
    try {
      const parsed = StoredRouteSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.proxyUrl !== null && !checkProxyUrl(parsed.proxyUrl).ok) return DIRECT_TO_FAL;
      return parsed.proxyUrl === null ? DIRECT_TO_FAL : parsed;
    } catch {
      return DIRECT_TO_FAL;
    }
  };
  let route = read();
  return {
    get: () => route,
    set(next) {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.tmp`;
      writeFileSync(temp, JSON.stringify(next, null, 2));
      renameSync(temp, path);
      route = next;
    },
  };
}
