// Keeps the FAL keys out of everything the engine logs, stores or emits.
import type { Job, QueueState } from '../../shared/domain';
import { createKeyMemory, redactKeys } from '../fal/redact';
import { TypedEmitter } from '../queue/emitter';
import type { EngineEvents, Logger } from './types';

export interface Redaction {
  /** The current key, or null (a throwing key source counts as none). */
  safeKey(): string | null;
  redact(text: string): string;
  /** `base` with every message and detail redacted. */
  logger(base: Logger): Logger;
}

/**
 * `otherKeys`: the app's other FAL keys (the billing key), kept out just the same (a proxy may hold both).
 * Every key read in this run is kept out, not only the ones held now (createKeyMemory, as the platform
 * work does): FAL's answer to a request sent before the user replaced the key may name the old one.
 */
export function createRedaction(getKey: () => string | null, otherKeys: () => readonly (string | null)[] = () => []): Redaction {
  const safely = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch {
      return fallback;
    }
  };
  const held = createKeyMemory();
  const safeKey = () => {
    const key = safely(getKey, null);
    held.remember(key);
    return key;
  };
  const redact = (text: string) => {
    safeKey();
    for (const key of safely(otherKeys, [])) held.remember(key);
    return redactKeys(text, held.keys());
  };
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

/** The engine's event emitter: every text a job or queue event carries is redacted on the way out. */
export class RedactingEmitter extends TypedEmitter<EngineEvents> {
  constructor(
    private readonly redact: (text: string) => string,
    onListenerError: (error: unknown) => void,
  ) {
    super(onListenerError);
  }

  override emit<K extends keyof EngineEvents>(event: K, payload: Parameters<EngineEvents[K]>[0]): void {
    super.emit(event, this.clean(event, payload));
  }

  private clean<K extends keyof EngineEvents>(event: K, payload: Parameters<EngineEvents[K]>[0]): Parameters<EngineEvents[K]>[0] {
    const text = (value: string | null) => (value === null ? null : this.redact(value));
    if (event === 'job') {
      const job = payload as Job;
      return { ...job, message: text(job.message), errorMessage: text(job.errorMessage) } as Parameters<EngineEvents[K]>[0];
    }
    if (event === 'queue') {
      const state = payload as QueueState;
      return { ...state, message: text(state.message) } as Parameters<EngineEvents[K]>[0];
    }
    return payload;
  }
}
