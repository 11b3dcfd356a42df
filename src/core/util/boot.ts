// Which run of the operating system this process lives in. A commit that SQLite has made survives
// any crash or kill of the process (its pages are in the OS's cache), but not a power cut or an OS
// crash unless it was fsynced. So a row written without fsync can be trusted to be there after a
// crash exactly when the machine has not restarted since: the engine's submit marker relies on this
// (engine/fal-steps.ts). No host name in it: a Mac's changes with its network, and a false "another
// boot" costs the user a needless question.
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/** Boot times computed from the clock may differ by this much within one boot (clock adjustments). */
const BOOT_TIME_SLACK_S = 30;

function linuxBootId(): string | null {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return /^[0-9a-f-]{36}$/i.test(id) ? id : null;
  } catch {
    return null;
  }
}

let cached: string | null = null;

/**
 * This boot, as `id:<Linux boot id>` or, elsewhere, `t:<boot time in s>` (the clock minus the
 * uptime; macOS and Windows count sleep in it, so it stays put). Test hook: IMAGE2MODEL_TEST_BOOT_ID
 * stands for a boot (a test restarts "the machine" by changing it).
 */
export function currentBoot(): string {
  const forTest = process.env.IMAGE2MODEL_TEST_BOOT_ID;
  if (forTest) return `id:${forTest}`;
  if (cached === null) {
    const id = linuxBootId();
    cached = id ? `id:${id}` : `t:${Math.round(Date.now() / 1000 - uptime())}`;
  }
  return cached;
}

/**
 * Whether `recorded` (a currentBoot() value) is this boot. Anything unreadable counts as another
 * boot: callers use "another boot" as the cautious answer.
 */
export function isCurrentBoot(recorded: string | null, now: string = currentBoot()): boolean {
  if (!recorded) return false;
  if (recorded === now) return true;
  if (!recorded.startsWith('t:') || !now.startsWith('t:')) return false;
  const a = Number(recorded.slice(2));
  const b = Number(now.slice(2));
  return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= BOOT_TIME_SLACK_S;
}
