// Keeps the FAL keys out of everything the engine logs, stores or emits.
import type { Job, QueueState } from '../../shared/domain';
import { redactKeys } from '../fal/redact';
import { TypedEmitter } from '../queue/emitter';
import type { EngineEvents, Logger } from './types';

export interface Redaction {
  /** The current key, or null (a throwing key source counts as none). */
  safeKey(): string | null;
  redact(text: string): string;
  /** `base` with every message and detail redacted. */
  logger(base: Logger): Logger;
}

/** `otherKeys`: the app's other FAL keys (the billing key), kept out just the same (a proxy may hold both). */
export function createRedaction(getKey: () => string | null, otherKeys: () => readonly (string | null)[] = () => []): Redaction {
  const safely = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch {
      return fallback;
    }
  };
  const safeKey = () => safely(getKey, null);
  const redact = (text: string) => redactKeys(text, [safeKey(), ...safely(otherKeys, [])]);
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
