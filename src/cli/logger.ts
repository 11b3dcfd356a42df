// The CLI's logger: everything goes to <data dir>/logs/cli.log (so a failed run can be looked into
// later); real errors also go to stderr. The engine redacts the key before anything reaches it.
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/engine';
import { describeError } from '../core/util/errors';
import { logText } from '../core/util/log-text';
import { makeFolderSync } from '../core/util/make-folder';
import { terminalText } from './terminal-text';

export function createCliLogger(dataDir: string, stderr: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'cli.log');
  let usable = true;
  /**
   * The data folder was there once: when the run started (the engine made or found it before any
   * line: a run logs nothing at its start), or at a line. Gone later, it was moved or removed.
   */
  let seen = existsSync(dataDir);
  const write = (level: string, message: string, details: unknown[]) => {
    const extra = details.map((d) => (typeof d === 'string' ? d : describeError(d))).join(' ');
    const line = `${logText(`${new Date().toISOString()} ${process.pid} ${level} ${message}${extra ? ` ${extra}` : ''}`)}\n`;
    if (!usable) return line;
    // A data folder moved or removed during the run is not made anew at its old place (it would block
    // putting it back; engine/data-folder.ts): its lines go unlogged until it is back.
    if (existsSync(dataDir)) seen = true;
    else if (seen) return line;
    try {
      // Not a recursive mkdirSync: for a data folder like /proc/self/<new> it never returns.
      makeFolderSync(dir);
      seen = true;
      appendFileSync(file, line);
    } catch {
      usable = false; // a read-only data folder must not break the run
    }
    return line;
  };
  return {
    info: (message, ...details) => void write('info', message, details),
    warn: (message, ...details) => void write('warn', message, details),
    error: (message, ...details) => stderr(`image2model: ${terminalText(write('error', message, details).split(' ').slice(3).join(' ').trimEnd())}\n`),
  };
}
