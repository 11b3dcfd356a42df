// What a FAL key must look like before we store it, and how to keep it out of logs.
import { AppError } from '../../shared/result';

export function normalizeKey(input: string): string {
  const key = input.trim();
  if (key.length < 10) throw new AppError('invalid_input', 'That key is too short. A FAL key has at least 10 characters - copy it again from fal.ai/dashboard/keys.');
  if (/\s/.test(key)) throw new AppError('invalid_input', 'A FAL key has no spaces or line breaks. Copy it again from fal.ai/dashboard/keys.');
  return key;
}

export const last4 = (key: string): string => key.slice(-4);

/** Replaces every occurrence of the key (and its secret half, FAL keys are id:secret) with a marker. */
export function redact(text: string, key: string | null | undefined): string {
  if (!key) return text;
  let out = text.split(key).join('[redacted key]');
  const secret = key.includes(':') ? key.slice(key.indexOf(':') + 1) : null;
  if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out;
}
