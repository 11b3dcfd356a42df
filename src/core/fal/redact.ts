// Keeps the FAL key out of anything logged or stored: error texts may echo request headers.

const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?)(key\s+)?[^\s"',}]+/gi;
const KEY_PREFIX = /\bKey\s+[A-Za-z0-9._:-]{8,}/g;

/**
 * Characters that show nothing: Unicode's default-ignorable set (soft hyphen, zero-width spaces and
 * joiners, direction marks, embeddings and isolates, variation selectors, fillers, tags, BOM), so an
 * echo cannot pick one the list forgot. Needs the pattern's `u` flag.
 */
const INVISIBLE = '\\p{Default_Ignorable_Code_Point}';

/**
 * Keys remembered for redaction (the app's two, and every one before them this run). Far past any
 * user's key changes in one run: a key forgotten is a secret let through (it was 16). It bounds the
 * work of a redaction (a pattern per key: ~0.15 ms at 64) should something set keys in a loop.
 */
export const MAX_HELD_KEYS = 64;

/**
 * Patterns of the keys redacted lately, least recently used first: room for the engine's and the
 * platform's memories. It was 8, cleared when full: with 9 keys held every redaction (every job
 * event) built every pattern again, ~50 times slower.
 */
const cached = new Map<string, RegExp | null>();
const CACHED_MAX = 2 * MAX_HELD_KEYS;

/**
 * The key and each of its id/secret halves, in any case: FAL's secret is hex, upper-cased it is
 * the same secret to whoever reads it, and a gateway or WAF that quotes a request may upper-case it.
 */
function keyPattern(key: string): RegExp | null {
  let pattern = cached.get(key);
  if (pattern !== undefined) {
    cached.delete(key);
    cached.set(key, pattern);
  } else {
    const plain = [key, ...key.split(':')].filter((part) => part.length >= 6);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A plain form may have invisible characters between its own (an echo that interleaves zero-width
    // spaces reads as the whole key on screen and in a copied log); base64 forms are matched as they are.
    const spread = (part: string) => [...part].map(escape).join(`${INVISIBLE}*`);
    const sources = [...plain.map((part) => [part.length, spread(part)] as const), ...plain.flatMap(base64Forms).map((part) => [part.length, escape(part)] as const)];
    const escaped = sources.sort((a, b) => b[0] - a[0]).map(([, source]) => source);
    pattern = escaped.length > 0 ? new RegExp(escaped.join('|'), 'giu') : null;
    if (cached.size >= CACHED_MAX) cached.delete(cached.keys().next().value as string);
    cached.set(key, pattern);
  }
  return pattern;
}

/**
 * How `part` reads inside base64 (an echoed Basic credential, a header quoted encoded), wherever it
 * starts in the encoded bytes: for each of the three alignments, the characters that depend on its
 * bytes alone, in the standard and the URL alphabet.
 */
function base64Forms(part: string): string[] {
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(shift), Buffer.from(part, 'utf8')]);
    const start = [0, 2, 3][shift]!;
    const encoded = bytes.toString('base64').slice(start, Math.floor(bytes.length / 3) * 4);
    if (encoded.length >= 12) forms.push(encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** Replaces the key (and each of its id/secret halves, in any case, and as they read in base64) plus any `Authorization: Key ...` value. */
export function redactSecrets(text: string, key: string | null | undefined): string {
  const pattern = key ? keyPattern(key) : null;
  const out = pattern ? text.replace(pattern, '[redacted]') : text;
  return out.replace(AUTH_HEADER, '$1[redacted]').replace(KEY_PREFIX, 'Key [redacted]');
}

/** redactSecrets for every key the app holds (the ordinary key and the billing key): none of them gets through. */
export function redactKeys(text: string, keys: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const key of keys) if (key) out = redactSecrets(out, key);
  return keys.some(Boolean) ? out : redactSecrets(out, null);
}

/** Whether `text` names one of `keys` (whole, a half, any case, as base64) - the key itself, not any `Key ...` text. */
export function namesKey(text: string, keys: readonly (string | null | undefined)[]): boolean {
  return keys.some((key) => {
    const pattern = key ? keyPattern(key) : null;
    if (!pattern) return false;
    pattern.lastIndex = 0;
    return pattern.test(text);
  });
}

export interface KeyMemory {
  /** Notes a key just read (null or empty: nothing); one read again counts as the newest. */
  remember(key: string | null | undefined): void;
  /** Every key remembered, oldest first; past MAX_HELD_KEYS the one read longest ago is forgotten. */
  keys(): readonly string[];
}

/**
 * Every key read this run, not only those held now: an answer to a call made before the user
 * replaced a key (a proxy that had the old one) may name it, and it is the user's secret still.
 * Used by the engine's redaction and the platform work alike.
 */
export function createKeyMemory(): KeyMemory {
  const held = new Set<string>();
  return {
    remember(key) {
      if (!key) return;
      held.delete(key);
      held.add(key);
      if (held.size > MAX_HELD_KEYS) held.delete(held.values().next().value as string);
    },
    keys: () => [...held],
  };
}
