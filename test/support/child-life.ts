// One process the kill tests start, talk to over stdin/stdout and SIGKILL: in its own process group
// (killed as a whole), its output kept for failure messages, and remembered until it exits so a
// failing test's teardown (killAllLives) leaves nothing running.
import type { ChildProcess } from 'node:child_process';
import { signalGroup, spawnGroup } from './process-group';

export interface Life {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far. */
  output(): string;
  /** Writes one line to its stdin (a command for the child). */
  send(line: string): void;
  /** Resolves once the child printed `line` on a line of its own; rejects if it exits first or after `timeoutMs`. */
  waitForLine(line: string, timeoutMs: number): Promise<void>;
}

const alive = new Set<ChildProcess>();

export function startLife(name: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Life {
  const child = spawnGroup(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  alive.add(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // A write to a child killed meanwhile fails with EPIPE: that life is over anyway.
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      alive.delete(child);
      done({ code, signal });
    }),
  );
  const hasLine = (line: string) => out.startsWith(`${line}\n`) || out.includes(`\n${line}\n`);
  return {
    name,
    child,
    exited,
    output: () => out,
    send: (line) => void child.stdin!.write(`${line}\n`),
    waitForLine(line, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => void (hasLine(line) && done());
        const timer = setTimeout(() => done(new Error(`${name} did not print "${line}" within ${timeoutMs} ms:\n${out.slice(-3000)}`)), timeoutMs);
        void exited.then(({ code, signal }) => hasLine(line) || done(new Error(`${name} exited (${code ?? signal}) before printing "${line}":\n${out.slice(-3000)}`)));
        child.stdout!.on('data', check);
        check();
      });
    },
  };
}

/** SIGKILLs the life's whole process group and waits for it to be gone. */
export async function killLife(life: Life): Promise<void> {
  signalGroup(life.child, 'SIGKILL');
  await life.exited;
}

/** Teardown: SIGKILLs every life still running (a test that failed half-way). */
export function killAllLives(): void {
  for (const child of alive) signalGroup(child, 'SIGKILL');
}
