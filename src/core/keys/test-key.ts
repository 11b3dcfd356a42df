// "Test key": one authenticated, free call that can only succeed when FAL accepted the key. FAL
// documents the platform API's price list (GET https://api.fal.ai/v1/models/pricing) as needing an
// API key and answering 200 with `{prices: [...]}`; 401/403 mean the key was refused
// (/work/shared/FAL-PLATFORM.md). Nothing else proves anything: a 404 from a wrong proxy, a captive
// portal's page or a 5xx says nothing about the key, so those are reported as "could not check" -
// never as accepted. (The earlier probe, a queue status for a made-up id, counted FAL's 404 as
// "accepted", so any server answering 404 made a wrong key look valid.)
import { DIRECT_TO_FAL, type FalRoute } from '../fal/key-guard';
import { createPlatformClient, PlatformError } from '../fal/platform-client';
import { redact } from './format';

export interface KeyTestResult {
  result: 'accepted' | 'rejected' | 'unchecked' | 'unreachable' | 'no_key';
  message: string;
}

/** Any endpoint FAL prices will do; this is the app's default generator. */
const PROBE_ENDPOINT = 'tripo3d/tripo/v2.5/image-to-3d';

export async function testFalKey(
  key: string | null,
  opts: { route?: FalRoute; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<KeyTestResult> {
  if (!key) return { result: 'no_key', message: 'No FAL key is set. Add one in Settings, or use the offline generator.' };
  const route = opts.route ?? DIRECT_TO_FAL;
  if (route.proxyUrl && !route.sendKeyToProxy) {
    // The proxy adds its own key; whatever it answers says nothing about this one.
    return {
      result: 'unchecked',
      message: 'Your FAL key is not sent to the proxy you use (it adds its own), so it cannot be checked from here.',
    };
  }
  // One call only (no retries, one page): the button answers at once, also when offline.
  const platform = createPlatformClient({
    key,
    proxyUrl: route.proxyUrl,
    sendKeyToProxy: route.sendKeyToProxy,
    fetch: opts.fetch,
    timeoutMs: opts.timeoutMs ?? 15_000,
    retries: 0,
    maxPages: 1,
  });
  try {
    await platform.prices([PROBE_ENDPOINT]);
    return { result: 'accepted', message: 'FAL accepted the key.' };
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    if (error.kind === 'unauthorized') {
      return { result: 'rejected', message: 'FAL rejected this key. Check it at fal.ai/dashboard/keys and enter it again.' };
    }
    if (error.kind === 'forbidden') return { result: 'rejected', message: forbiddenMessage(error.message) };
    if (error.kind === 'offline') {
      return { result: 'unreachable', message: `FAL could not be reached (${reasonOf(error, key)}). Check your internet connection and try again.` };
    }
    const answer = error.status === null ? 'an answer it could not read' : `HTTP ${error.status}`;
    const where = route.proxyUrl ? ' Check the FAL proxy address in Settings > Advanced.' : ' Try again in a minute.';
    return {
      result: 'unchecked',
      message: `The key could not be checked: the answer (${answer}) does not show whether FAL accepted it.${where}`,
    };
  }
}

/**
 * FAL's 403: the key is known but may not be used - most often the account is locked because its
 * balance is used up ("User is locked. Reason: Exhausted balance", the queue's balance_used_up), where
 * entering another key does not help; topping up does.
 */
function forbiddenMessage(said: string): string {
  if (/\b(locked|balance|billing)\b/i.test(said)) {
    return 'FAL refused the key because your FAL account is locked: its balance is used up. Top up at fal.ai/dashboard/billing, then press Test key again; waiting jobs continue once it passes.';
  }
  return 'FAL refused this key (HTTP 403): your FAL account may be locked because its balance is used up, or the key may not be allowed to call FAL. Check your balance at fal.ai/dashboard/billing and the key at fal.ai/dashboard/keys.';
}

/** The part of the platform client's message in brackets: "no answer within 15 s", "ECONNREFUSED". */
function reasonOf(error: Error, key: string): string {
  const inner = /\(([^)]*)\)\.?$/.exec(error.message)?.[1] ?? error.message;
  return redact(inner, key).slice(0, 120);
}
