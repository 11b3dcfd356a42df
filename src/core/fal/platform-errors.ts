// How a platform API call failed, as a kind the callers act on; FAL's error text is redacted here
// (it may echo the key, and the message reaches logs and the page).
import { z } from 'zod';

export type PlatformErrorKind =
  /** No/invalid key (401). */
  | 'unauthorized'
  /** The key may not do this (403): not an admin key, or no permission for request history. */
  | 'forbidden'
  | 'rate_limited'
  /** 5xx: the platform API is down or failing. */
  | 'server'
  /** No answer at all (network, DNS, timeout). */
  | 'offline'
  /** 400/404/422: we asked for something FAL does not accept. */
  | 'invalid'
  /** An answer we cannot read. */
  | 'bad_answer';

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly type: string | null = null,
    /** How long FAL asked the caller to wait (a 429's or 503's Retry-After, unbounded here), or null. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

const ErrorBodySchema = z.object({ error: z.object({ type: z.string().optional(), message: z.string().optional() }) });
/** FAL's gateway answers a locked account in the queue API's form: 403 `{detail: "User is locked. Reason: Exhausted balance..."}`. */
const DetailBodySchema = z.object({ detail: z.string() });

/**
 * FAL's error text may echo a key - the one sent, or the app's other one (a hostile proxy may have
 * both); the message reaches logs and the page, so `redact` (every key the app holds) runs here.
 */
export function errorFrom(status: number, text: string, redact: (text: string) => string, retryAfterMs: number | null = null): PlatformError {
  let type: string | null = null;
  let detail: string | null = null;
  try {
    const json: unknown = JSON.parse(text);
    const parsed = ErrorBodySchema.safeParse(json);
    const gateway = DetailBodySchema.safeParse(json);
    if (parsed.success) {
      type = parsed.data.error.type === undefined ? null : redact(parsed.data.error.type).slice(0, 100);
      detail = parsed.data.error.message === undefined ? null : redact(parsed.data.error.message);
    } else if (gateway.success) {
      detail = redact(gateway.data.detail);
    }
  } catch {
    // not JSON: keep the status only
  }
  const says = detail ? ` FAL says: ${detail.slice(0, 200)}` : '';
  if (status === 401) return new PlatformError('unauthorized', `FAL did not accept the key for its platform API.${says}`, status, type);
  if (status === 403) return new PlatformError('forbidden', `This key is not allowed to read that from FAL.${says}`, status, type);
  if (status === 429) return new PlatformError('rate_limited', `FAL's platform API asked to slow down.${says}`, status, type, retryAfterMs);
  if (status >= 500) return new PlatformError('server', `FAL's platform API is not working right now (HTTP ${status}).${says}`, status, type, retryAfterMs);
  return new PlatformError('invalid', `FAL's platform API refused the question (HTTP ${status}).${says}`, status, type);
}
