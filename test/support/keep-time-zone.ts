// Tests that set process.env.TZ to read times in a given zone put the machine's zone back afterwards.
import { afterEach, beforeEach } from 'vitest';

export function keepTimeZone(): void {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });
}
