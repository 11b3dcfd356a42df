// Downloads a result into memory with a size cap and a time limit. The bytes are validated and then
// written once, atomically, by storeByContentHash; library/files.ts's downloadToFile would write
// (and fsync) a staging copy first that nobody reads, which doubled the disk work per job.
// Errors are the same DownloadError kinds, so classify.ts treats both alike.
import { DownloadError } from '../library/files';

export interface DownloadBytesOptions {
  maxBytes: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export async function downloadBytes(url: string, opts: DownloadBytesOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const response = await (opts.fetch ?? fetch)(url, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError('http_error', `The server answered ${response.status} ${response.statusText}`.trim(), response.status);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(opts.maxBytes);
    }
    return await readCapped(response, opts.maxBytes);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (opts.signal?.aborted) throw new DownloadError('aborted', 'The download was canceled', undefined, { cause: error });
    if (timeout.aborted) throw new DownloadError('timeout', `The download took longer than ${opts.timeoutMs} ms`, undefined, { cause: error });
    throw new DownloadError('network', `The download failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): DownloadError {
  return new DownloadError('too_large', `The download is larger than the ${maxBytes}-byte limit`);
}
