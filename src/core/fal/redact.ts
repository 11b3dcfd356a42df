// Keeps the FAL key out of anything logged or stored: error texts may echo request headers.

const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?)(key\s+)?[^\s"',}]+/gi;
const KEY_PREFIX = /\bKey\s+[A-Za-z0-9._:-]{8,}/g;

/** Replaces the key (and each of its id/secret halves) plus any `Authorization: Key ...` value. */
export function redactSecrets(text: string, key: string | null | undefined): string {
  let out = text;
  if (key) {
    const parts = [key, ...key.split(':')].filter((part) => part.length >= 6);
    for (const part of parts.sort((a, b) => b.length - a.length)) out = out.split(part).join('[redacted]');
  }
  return out.replace(AUTH_HEADER, '$1[redacted]').replace(KEY_PREFIX, 'Key [redacted]');
}
