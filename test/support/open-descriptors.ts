// Which descriptors this process holds open on a file (Linux: /proc/self/fd).
import { readdirSync, readlinkSync } from 'node:fs';

/** The descriptors this process has open on `path` (give its real path: /proc shows the target). */
export function descriptorsOn(path: string): Set<number> {
  const fds = new Set<number>();
  for (const entry of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${entry}`) === path) fds.add(Number(entry));
    } catch {
      // closed meanwhile (the listing's own descriptor)
    }
  }
  return fds;
}
