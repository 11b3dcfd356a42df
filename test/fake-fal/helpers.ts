// Shared bits for the fake-fal tests: a real @fal-ai/client wired to the fake, and GLB checks.
import { createRequire } from 'node:module';
import { createFalClient, type FalClient } from '@fal-ai/client';
import type { FakeFal } from './server';

export const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
/** A minimal valid input for the image endpoints (the fake does not fetch it). */
export const IMAGE = { image_url: 'https://example.com/a.png' };

/**
 * The real client in proxy mode. Queue calls keep the client's own retry counts and 1 s base
 * delay (it overrides them per call); multiplier 0 and no jitter make later retries immediate.
 * `seen` records every response's headers (ApiError carries none, so this is how Retry-After is read).
 */
export function realClient(fake: FakeFal, opts: { key?: string; mode?: 'proxy' | 'fetch' } = {}) {
  const seen: { url: string; status: number; headers: Headers }[] = [];
  const base = opts.mode === 'fetch' ? fake.fetch : fetch;
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await base(input, init);
    seen.push({ url: String(input), status: response.status, headers: response.headers });
    return response;
  };
  const key = opts.key ?? 'test-key-123456';
  const routing = opts.mode === 'fetch' ? { credentials: key } : fake.clientConfig(key);
  const fal: FalClient = createFalClient({
    ...routing,
    fetch: recordingFetch,
    retry: { baseDelay: 5, maxDelay: 5, backoffMultiplier: 0, enableJitter: false },
  });
  return { fal, seen };
}

interface ValidationReport {
  issues: { numErrors: number };
}
const validator = createRequire(import.meta.url)('gltf-validator') as {
  validateBytes(data: Uint8Array): Promise<ValidationReport>;
};

export async function glbErrors(bytes: Uint8Array): Promise<number> {
  return (await validator.validateBytes(bytes)).issues.numErrors;
}

/** Download a URL the way the app would (plain fetch), returning status and bytes. */
export async function download(url: string): Promise<{ status: number; bytes: Uint8Array; contentType: string | null }> {
  const response = await fetch(url);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
