// The main process's file logger. Every line passes through redaction with the current FAL key(s)
// before it is written or printed, so no caller has to remember to redact.
// No electron import: tested under Node.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/app-core';
import { redactAll } from '../core/keys/format';
import { logText } from '../core/util/log-text';

export interface MainLoggerOptions {
  /** The secrets to hide, read at every line (the key may change while the app runs). */
  secrets?: () => readonly (string | null | undefined)[];
  /** Rotate main.log to main.log.1 at start when larger than this (default 5 MB). */
  maxBytes?: number;
  /** Also print errors to stderr (default true). */
  echoErrors?: boolean;
}

export interface MainLogger extends Logger {
  readonly file: string;
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.stack ?? `${detail.name}: ${detail.message}`}`;
  if (typeof detail === 'string') return ` ${detail}`;
  try {
    return ` ${JSON.stringify(detail, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : typeof v === 'bigint' ? String(v) : v))}`;
  } catch {
    return ` ${String(detail)}`;
  }
}

export function createLogger(dir: string, options: MainLoggerOptions = {}): MainLogger {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'main.log');
  try {
    if (statSync(file).size > (options.maxBytes ?? 5 * 1024 * 1024)) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  const write = (level: string, message: string, detail?: unknown) => {
    let line = `${new Date().toISOString()} ${level} ${message}${describe(detail)}`;
    try {
      line = redactAll(line, options.secrets?.() ?? []);
    } catch {
      // A failing secret source must not let the line through unredacted.
      line = `${new Date().toISOString()} ${level} [log line dropped: redaction failed]`;
    }
    // Escaped after redaction, so the key is matched in the text as it came.
    line = logText(line);
    try {
      appendFileSync(file, `${line}\n`);
    } catch {
      // Logging must never take the app down.
    }
    if (level === 'ERROR' && options.echoErrors !== false) console.error(line);
  };
  return {
    file,
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
  };
}
