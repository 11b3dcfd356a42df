// Finds the processes a test run left behind. `npm test` gives every process it starts a marker in
// the environment (inherited by all their descendants, detached or not); whatever still carries it
// once the run is over was never stopped. Linux only (/proc); elsewhere nothing is found.
import { readdirSync, readFileSync } from 'node:fs';

/** Live processes (other than this one) whose environment has `name=value`. */
export function processesWithEnv(name, value) {
  if (process.platform !== 'linux') return [];
  const wanted = `${name}=${value}`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!env.includes(wanted)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Gives the marked processes `graceMs` to finish on their own, then kills the rest (SIGKILL) and
 * returns them: each one is a process the run failed to stop.
 */
export async function killLeftovers(name, value, graceMs = 3000) {
  const deadline = Date.now() + graceMs;
  let left = processesWithEnv(name, value);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = processesWithEnv(name, value);
  }
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return left;
}
