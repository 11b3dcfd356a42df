// Children that tests start run in their own process group, and are stopped as a group: killing
// only the direct child (an `npx` or `tsx` wrapper) leaves the real server running.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Starts a command as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Sends a signal to the child's whole group; a group already gone is fine. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Asks the group to stop (SIGTERM by default), waits up to `graceMs` for the leader to exit, then
 * kills whatever is left of the group.
 */
export async function stopGroup(child: ChildProcess, opts: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<void> {
  if (!hasExited(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, opts.signal ?? 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, opts.graceMs ?? 5000))]);
  }
  signalGroup(child, 'SIGKILL');
}
