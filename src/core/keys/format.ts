// What a FAL key must look like before we store it, and how to keep it out of logs.
import { AppError } from '../../shared/result';
import { redactKeys } from '../fal/redact';

export const MIN_KEY_LENGTH = 10;

/** Trims and checks a key typed or pasted by the user; throws `invalid_input` with a plain reason. */
export function normalizeKey(input: string): string {
  const key = input.trim();
  if (key.length < MIN_KEY_LENGTH) throw new AppError('invalid_input', 'That key is too short. A FAL key has at least 10 characters - copy it again from fal.ai/dashboard/keys.');
  if (/\s/.test(key)) throw new AppError('invalid_input', 'A FAL key has no spaces or line breaks. Copy it again from fal.ai/dashboard/keys.');
  // A zero-width space or a curly quote picked up with the copy: HTTP cannot carry it, so every call
  // with the key failed as "the connection to FAL was interrupted" (and jobs used up their attempts).
  if (hasUnusualCharacter(key)) throw new AppError('invalid_input', KEY_CHARACTER_MESSAGE);
  return key;
}

export const KEY_CHARACTER_MESSAGE =
  'The key contains an invisible or unusual character (it was probably copied along with it); a FAL key has only letters, digits and punctuation. Copy it again from fal.ai/dashboard/keys.';

/** Anything but visible ASCII (which is all a FAL key is made of). */
export const hasUnusualCharacter = (key: string): boolean => /[^\x21-\x7e]/.test(key);

/** A key from an environment variable (FAL_KEY): usable, or why it is not used. */
export interface EnvKey {
  key: string | null;
  /** Set (and `key` null) when the variable holds a key that cannot work: said in Settings. */
  problem: string | null;
  /** What the variable held (trimmed), usable or not: hidden from logs all the same. */
  raw: string | null;
}

/**
 * Reads a key from the environment. One with an invisible or unusual character (copied along with it)
 * is not used: HTTP cannot carry it, so every FAL call would fail as "the connection was interrupted"
 * until jobs used up their attempts, with no word about the key.
 */
export function readEnvKey(env: NodeJS.ProcessEnv, envVar: string): EnvKey {
  const raw = env[envVar]?.trim() || null;
  if (raw === null || !hasUnusualCharacter(raw)) return { key: raw, problem: null, raw };
  return {
    key: null,
    problem: `${envVar} (from the environment) is not used: it contains an invisible or unusual character (probably copied along with it); a FAL key has only letters, digits and punctuation. Set ${envVar} again, or paste the key here.`,
    raw,
  };
}

export const last4 = (key: string): string => key.slice(-4);

export const REDACTED_KEY = '[redacted key]';

/** Replaces every occurrence of the key (and its secret half, FAL keys are id:secret) with a marker. */
export function redact(text: string, key: string | null | undefined): string {
  if (!key) return text;
  let out = text.split(key).join(REDACTED_KEY);
  const secret = key.includes(':') ? key.slice(key.indexOf(':') + 1) : null;
  if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  // Percent-encoded copies (a key that ended up in a URL) are hidden too.
  const encoded = encodeURIComponent(key);
  if (encoded !== key) out = out.split(encoded).join(REDACTED_KEY);
  return out;
}

/**
 * `redact` for several secrets at once (the stored key, FAL_KEY from the environment, keys replaced
 * during this run), plus any `Authorization: Key ...` value whatever key it carries.
 */
export function redactAll(text: string, keys: readonly (string | null | undefined)[]): string {
  // Longest first, so a key that contains another is replaced whole.
  const sorted = [...new Set(keys.filter((k): k is string => !!k))].sort((a, b) => b.length - a.length);
  // Then the matcher FAL's answers go through (any case, the id/secret halves, base64, invisible
  // characters inside): a line logged as it came must not keep a form of the key the core would hide.
  return redactKeys(sorted.reduce((out, key) => redact(out, key), text), sorted);
}
