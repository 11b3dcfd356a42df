// A key vault without OS encryption: FAL_KEY from the environment, or a key set for this run only.
// Used by the CLI, the browser transport and tests; it never writes the key to disk.
import type { KeyStatus } from '../../shared/domain';
import type { KeyVault } from '../services-types';
import { last4, normalizeKey, readEnvKey } from './format';

export function createMemoryKeyVault(env: NodeJS.ProcessEnv = process.env, envVar = 'FAL_KEY'): KeyVault {
  let stored: string | null = null;
  const fromEnv = readEnvKey(env, envVar);
  const envKey = fromEnv.key;
  const status = (): KeyStatus => {
    const key = stored ?? envKey;
    return {
      set: key !== null,
      last4: key ? last4(key) : null,
      source: stored ? 'stored' : envKey ? 'environment' : null,
      backend: 'memory',
      needsReentry: false,
      weakProtection: false,
      ...(fromEnv.problem !== null && { envProblem: fromEnv.problem }),
    };
  };
  return {
    status,
    get: () => stored ?? envKey,
    set: (key) => {
      stored = normalizeKey(key);
      return status();
    },
    clear: () => {
      stored = null;
      return status();
    },
  };
}
