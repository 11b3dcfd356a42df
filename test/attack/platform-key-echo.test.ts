// Attack: FAL's platform API echoes the key in its error text (401/403/429/5xx). Every PlatformError
// message reaches the page (prices:refresh returns it, spend summaries carry it) and the logs, so
// the client itself must never put the key into one.
import { expect, it } from 'vitest';
import { createPlatformClient, PlatformError } from '../../src/core/fal/platform-client';

const KEY = 'attack-id-5f3c:PLANTED-SECRET-9d1e7a';

function echoing(status: number): typeof fetch {
  return async (_url, init) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const body = { error: { type: 'authorization_error', message: `bad ${auth} (key ${KEY}, secret ${KEY.split(':')[1]})` } };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
}

for (const status of [400, 401, 403, 429, 500]) {
  it(`a ${status} that echoes the key yields an error without it`, async () => {
    const client = createPlatformClient({ key: KEY, fetch: echoing(status), retries: 0 });
    const error = await client.prices(['fal-ai/trellis']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    const text = `${(error as Error).message} ${(error as PlatformError).type}`;
    expect(text).not.toContain('PLANTED-SECRET');
    expect(text).not.toContain('attack-id-5f3c');
  });
}
