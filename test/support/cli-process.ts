// The CLI as a user runs it: the real bin in a child process of its own process group, with the
// caller's environment but no FAL key or proxy unless the test passes one.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnGroup, stopGroup } from './process-group';

export const CLI_BIN = join(process.cwd(), 'bin/image2model.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  /** Sends SIGINT once a line of stdout matches (a user pressing Ctrl+C mid-run). */
  interruptAfter?: (line: string) => boolean;
  /** Called with the child once spawned (to signal it, e.g. SIGSTOP as Ctrl-Z would). */
  onSpawn?: (child: ChildProcess) => void;
  /** Called with each complete line of stdout as it arrives. */
  onLine?: (line: string) => void;
}

/** CLI runs not yet ended: a test that fails or times out must not leave one behind. */
const running = new Set<ChildProcess>();

export function runCli(args: readonly string[], opts: CliRunOptions = {}): Promise<CliResult> {
  return runNode([CLI_BIN, ...args], opts);
}

/** Node with these arguments, run and read as runCli does (its own tests run other scripts through it). */
export function runNode(argv: readonly string[], opts: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FAL_KEY: undefined, IMAGE2MODEL_FAL_PROXY: undefined, ...opts.env };
    const child = spawnGroup(process.execPath, [...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (opts.onLine) {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop()!;
        lines.forEach(opts.onLine);
      }
      if (!interrupted && opts.interruptAfter && stdout.split('\n').some(opts.interruptAfter)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': the process can exit before its last output is read (or while a process it
    // started still writes to the same streams); 'close' comes once it has exited and both streams ended.
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Kills every CLI run still going (call from afterAll). */
export async function stopAllCliRuns(): Promise<void> {
  await Promise.all([...running].map((child) => stopGroup(child, { signal: 'SIGKILL' })));
}

/** The JSON event lines of a `--json` run, skipping anything else printed. */
export const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
