// A small file logger for the main process. Callers redact secrets before logging.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/app-core';

export function createLogger(dir: string): Logger {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'main.log');
  const write = (level: string, message: string, detail?: unknown) => {
    const extra = detail === undefined ? '' : ` ${detail instanceof Error ? detail.stack ?? detail.message : JSON.stringify(detail)}`;
    const line = `${new Date().toISOString()} ${level} ${message}${extra}\n`;
    try {
      appendFileSync(file, line);
    } catch {
      // Logging must never take the app down.
    }
    if (level === 'ERROR') console.error(line.trimEnd());
  };
  return {
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
  };
}
