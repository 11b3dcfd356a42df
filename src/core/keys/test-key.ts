// One authenticated, free call to tell whether FAL accepts a key: the status of a request id that
// cannot exist. FAL answers 401/403 for a bad key and 404 for a good one.
import { createFalClient } from '@fal-ai/client';
import { redact } from './format';

export interface KeyTestResult {
  result: 'accepted' | 'rejected' | 'unreachable' | 'no_key';
  message: string;
}

const PROBE_ENDPOINT = 'tripo3d/tripo/v2.5/image-to-3d';
const PROBE_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

export async function testFalKey(
  key: string | null,
  opts: { proxyUrl?: string | null; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<KeyTestResult> {
  if (!key) return { result: 'no_key', message: 'No FAL key is set. Add one in Settings, or use the offline generator.' };
  const fal = createFalClient({
    credentials: key,
    ...(opts.proxyUrl ? { proxyUrl: { url: opts.proxyUrl, when: 'always' as const } } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const abort = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  try {
    await fal.queue.status(PROBE_ENDPOINT, { requestId: PROBE_REQUEST_ID, abortSignal: abort });
    return { result: 'accepted', message: 'FAL accepted the key.' };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403) return { result: 'rejected', message: 'FAL rejected this key. Check it at fal.ai/dashboard/keys and enter it again.' };
    if (typeof status === 'number' && status >= 400 && status < 500) return { result: 'accepted', message: 'FAL accepted the key.' };
    const detail = redact(error instanceof Error ? error.message : String(error), key);
    return { result: 'unreachable', message: `FAL could not be reached (${detail.slice(0, 120)}). Check your internet connection.` };
  }
}
