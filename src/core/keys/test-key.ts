// One authenticated, free call to tell whether FAL accepts a key: the status of a request id that
// cannot exist. FAL answers 401/403 for a bad key and 404 for a good one.
import { createFalClient } from '@fal-ai/client';
import { DIRECT_TO_FAL, keyGuardFetch, type FalRoute } from '../fal/key-guard';
import { redact } from './format';

export interface KeyTestResult {
  result: 'accepted' | 'rejected' | 'unreachable' | 'no_key';
  message: string;
}

const PROBE_ENDPOINT = 'tripo3d/tripo/v2.5/image-to-3d';
const PROBE_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A fetch that makes exactly one call: @fal-ai/client retries status calls up to five times with
 * backoff, which would turn "Test key" into half a minute of waiting when offline. Its errors are plain
 * Errors (no transport code), which the client does not retry; a retry after a 5xx stops at once.
 */
function oneCallFetch(base: typeof fetch, timeout: AbortSignal): typeof fetch {
  let used = false;
  let lastStatus: number | null = null;
  return async (input, init) => {
    if (used) throw Object.assign(new Error(`FAL answered with status ${lastStatus ?? 'unknown'}`), { status: lastStatus });
    used = true;
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await base(input, { ...init, signal });
      lastStatus = response.status;
      return response;
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const reason = timeout.aborted ? 'no answer in time' : typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
      throw new Error(`network error: ${reason}`);
    }
  };
}

export async function testFalKey(
  key: string | null,
  opts: { route?: FalRoute; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<KeyTestResult> {
  if (!key) return { result: 'no_key', message: 'No FAL key is set. Add one in Settings, or use the offline generator.' };
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  const route = opts.route ?? DIRECT_TO_FAL;
  const fal = createFalClient({
    credentials: key,
    suppressLocalCredentialsWarning: true,
    ...(route.proxyUrl ? { proxyUrl: { url: route.proxyUrl, when: 'always' as const } } : {}),
    // The key reaches FAL's hosts, or the proxy only when the user chose to send it there.
    fetch: oneCallFetch(keyGuardFetch(opts.fetch ?? globalThis.fetch, () => route), timeout),
  });
  try {
    await fal.queue.status(PROBE_ENDPOINT, { requestId: PROBE_REQUEST_ID, abortSignal: timeout });
    return { result: 'accepted', message: 'FAL accepted the key.' };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403) return { result: 'rejected', message: 'FAL rejected this key. Check it at fal.ai/dashboard/keys and enter it again.' };
    // Any other 4xx (404 for the made-up request id) means FAL authenticated the call.
    if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) return { result: 'accepted', message: 'FAL accepted the key.' };
    const detail = redact(error instanceof Error ? error.message : String(error), key);
    return { result: 'unreachable', message: `FAL could not be reached (${detail.slice(0, 120)}). Check your internet connection and try again.` };
  }
}
