// Keeps the FAL key out of everything the engine logs, stores or emits.
import { redactSecrets } from '../fal/redact';
import type { Logger } from './types';

export interface Redaction {
  /** The current key, or null (a throwing key source counts as none). */
  safeKey(): string | null;
  redact(text: string): string;
  /** `base` with every message and detail redacted. */
  logger(base: Logger): Logger;
}

export function createRedaction(getKey: () => string | null): Redaction {
  const safeKey = () => {
    try {
      return getKey();
    } catch {
      return null;
    }
  };
  const redact = (text: string) => redactSecrets(text, safeKey());
  const detail = (value: unknown): unknown =>
    typeof value === 'string' ? redact(value) : value instanceof Error ? redact(value.message) : value;
  return {
    safeKey,
    redact,
    logger: (base) => ({
      info: (message, ...rest) => base.info(redact(message), ...rest.map(detail)),
      warn: (message, ...rest) => base.warn(redact(message), ...rest.map(detail)),
      error: (message, ...rest) => base.error(redact(message), ...rest.map(detail)),
    }),
  };
}
