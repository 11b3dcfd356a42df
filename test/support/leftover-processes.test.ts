// The closing check of `npm test`: a process started by the run that is still alive afterwards is
// found through the marker in its environment, reported and killed.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftovers, processesWithEnv } from '../../scripts/leftover-processes.mjs';
import { spawnGroup, stopGroup } from './process-group';
import type { ChildProcess } from 'node:child_process';

const MARKER = 'IMAGE2MODEL_LEFTOVER_TEST';
const started: ChildProcess[] = [];

/** A node process that would run forever, started detached like a careless test would. */
function startSleeper(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnGroup(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  started.push(child);
  return child;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  for (const child of started.splice(0)) await stopGroup(child, { signal: 'SIGKILL' });
});

describe.runIf(process.platform === 'linux')('leftover processes of a test run', () => {
  it('finds a leaked child and its grandchild by the run marker, and no unmarked process', async () => {
    const run = randomUUID();
    // The grandchild inherits the marker from its parent, as every descendant of `npm test` does.
    const parent = startSleeper({ [MARKER]: run });
    const grandchildScript = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000)`;
    const withChild = spawnGroup(process.execPath, ['-e', grandchildScript], { env: { ...process.env, [MARKER]: run }, stdio: 'ignore' });
    started.push(withChild);
    const other = startSleeper({ [MARKER]: randomUUID() });
    await expect.poll(() => processesWithEnv(MARKER, run).length).toBe(3);

    const found = processesWithEnv(MARKER, run);
    expect(found.map((p) => p.pid)).toEqual(expect.arrayContaining([parent.pid, withChild.pid]));
    expect(found.map((p) => p.pid)).not.toContain(other.pid);
    expect(found.find((p) => p.pid === parent.pid)?.command).toContain('setInterval');
  });

  it('kills and reports what is still running after the grace time, and nothing that ended in time', async () => {
    const run = randomUUID();
    const leaked = startSleeper({ [MARKER]: run });
    const finishing = spawnGroup(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { env: { ...process.env, [MARKER]: run }, stdio: 'ignore' });
    started.push(finishing);
    await expect.poll(() => processesWithEnv(MARKER, run).length).toBe(2);

    const left = await killLeftovers(MARKER, run, 1500);
    expect(left.map((p) => p.pid)).toEqual([leaked.pid]);
    await expect.poll(() => alive(leaked.pid!)).toBe(false);
    expect(processesWithEnv(MARKER, run)).toEqual([]);
  });

  it('finds nothing for a run that stopped everything it started', async () => {
    const run = randomUUID();
    const child = startSleeper({ [MARKER]: run });
    await expect.poll(() => processesWithEnv(MARKER, run).length).toBe(1);
    await stopGroup(child);
    expect(await killLeftovers(MARKER, run, 500)).toEqual([]);
  });
});
