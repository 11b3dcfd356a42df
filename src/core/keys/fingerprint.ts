// Which FAL key something belongs to (a wait FAL asked of that key), without keeping the key: an HMAC
// under a secret made once per process. It tells two keys apart in memory, and is no use outside this
// process (not reversible, not comparable with any other run's) - still never stored nor logged.
import { createHmac, randomBytes } from 'node:crypto';

const SECRET = randomBytes(32);

export function keyFingerprint(key: string): string {
  return createHmac('sha256', SECRET).update(key).digest('hex').slice(0, 16);
}
