// Downloads of result files (models, previews) from URLs that FAL's answer names - so from URLs we do
// not control. The policy:
// - https only; plain http (and loopback) only to origins the caller trusts: a proxy or fake server
//   on this computer that the user configured;
// - never to loopback, private, link-local or other special addresses (IP literals and every address
//   the name resolves to are checked, on the first request and after every redirect). The check runs
//   again inside the connection's own name lookup (pinned-request.ts), and the connection uses only
//   the addresses that check passed: a name that changes its answer (DNS rebinding) cannot slip by;
// - redirects followed by hand, at most a few, each checked like the first URL;
// - `data:`, `file:` and other schemes refused with a clear, non-retryable error;
// - the size cap and the time limit hold while the body streams; the body goes to a temp file, never
//   whole into memory (downloadToTemp: a caller that keeps the bytes gets them read back once the body
//   is in, past a few MiB), except for small files asked for as bytes (downloadBytes).
// Every failure is a DownloadError whose `retryable` says whether trying again can help.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError as describe } from '../util/errors';
import { readCapped } from '../util/read-capped';
import { createFile, fsyncFd, inFolder, writeAll } from '../util/quick-fs';
import { DownloadError } from './download-error';
import { checkedAddresses, checkTarget, resolveLocation } from './download-target';
import { keepFresh, TEMP_PREFIX, unlinkQuietly } from './files';
import { requestPinned } from './pinned-request';

export { isSpecialAddress } from './address-policy';
export { DownloadError, type DownloadErrorCode } from './download-error';

export interface DownloadOptions {
  /** Largest body accepted; the transfer is aborted as soon as it is exceeded. */
  maxBytes: number;
  /** Limit for the whole download (every redirect, headers and body). */
  timeoutMs: number;
  /**
   * A stand-in network (tests). It makes no connection of ours, so names are checked only before the
   * call; without it every connection uses only the addresses its own lookup checked.
   */
  fetch?: typeof fetch;
  /** Caller's cancel; ends the download with code 'aborted'. */
  signal?: AbortSignal;
  /**
   * Origins on this computer that may be used over plain http and are exempt from the address
   * checks: the configured proxy or fake FAL server. Origins that are not loopback are ignored.
   */
  trustedOrigins?: readonly string[];
  /** Redirects followed at most (default 5). */
  maxRedirects?: number;
  /** Name resolution (tests); default the system resolver, every address. Used for the checks and the connection. */
  lookup?: (hostname: string) => Promise<string[]>;
  /** downloadToTemp: also hand back the bytes (for a caller that reads the whole file next anyway). */
  keepBytes?: boolean;
  /**
   * downloadToTemp: answer once the body is written, with the file's fsync still running (`synced`), so
   * the caller can check the bytes meanwhile. The caller must await `synced` before it stores or removes the file.
   */
  syncLater?: boolean;
  /**
   * downloadToTemp: false for a file the library can do without after a power cut (a preview: the
   * window shows the source photo instead), which is then not fsynced - one wait for the disk less per
   * job, on the pool the models' fsyncs share. Default true.
   */
  durable?: boolean;
  /** downloadToTemp: how often the open temp file is marked live for other processes' clean-up
   *  (files.ts keepFresh; default TEMP_FILE_TOUCH_MS). */
  keepFreshMs?: number;
}

export interface DownloadedFile {
  /** A temp file (TEMP_PREFIX, so crash clean-up finds it) the caller renames or removes. */
  path: string;
  size: number;
  sha256: string;
  /** The file's contents, when asked for (DownloadOptions.keepBytes). */
  bytes?: Uint8Array;
  /** With DownloadOptions.syncLater: resolves once the file is on disk (rejects if the fsync failed). */
  synced?: Promise<void>;
}

export interface DownloadResult {
  path: string;
  sha256: string;
  size: number;
}

/** Streams `url` into a temp file in `dir` under the policy above. */
export async function downloadToTemp(url: string, dir: string, opts: DownloadOptions): Promise<DownloadedFile> {
  const path = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.download`);
  try {
    return await withLimits(opts, async (signal) => {
      // The temp file is made while the request is on its way (contents and fsync go to the thread
      // pool, descriptor calls run in place: util/quick-fs.ts).
      const created = inFolder(dir, () => createFile(path));
      created.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
      // Nothing may be written for a long while (a server slow to answer or stalled; kept bytes are
      // written at the end): the file is kept young for other processes' clean-up all along.
      const stopFresh = keepFresh(path, opts.keepFreshMs);
      let response: Response;
      let fd: number;
      try {
        response = await openChecked(url, opts, signal);
      } catch (error) {
        stopFresh();
        await created.then(closeSync, () => undefined);
        throw error;
      }
      try {
        fd = await created;
      } catch (error) {
        stopFresh();
        await response.body?.cancel().catch(() => undefined);
        throw error;
      }
      const hash = createHash('sha256');
      let size = 0;
      // Bytes the caller keeps anyway are written in one go at the end (a write per chunk costs a
      // round trip to the thread pool each); otherwise each chunk is written as it comes. Past
      // KEPT_WHILE_STREAMING the body streams to the file too and is read back at the end: an endless
      // or oversized body is never held up to the cap (500 MiB per model download, 8 at once).
      let kept: Uint8Array[] | null = opts.keepBytes ? [] : null;
      let bytes: Uint8Array | undefined;
      try {
        await readBody(response, opts.maxBytes, async (chunk) => {
          size += chunk.byteLength;
          hash.update(chunk);
          if (kept && size <= KEPT_WHILE_STREAMING) return void kept.push(chunk);
          if (kept) {
            const held = kept;
            kept = null;
            await writeAll(fd, joined(held));
          }
          await writeAll(fd, chunk);
        });
        if (kept) {
          bytes = joined(kept);
          await writeAll(fd, bytes);
        } else if (opts.keepBytes) {
          bytes = joined([await readFile(path)]);
        }
      } catch (error) {
        stopFresh();
        closeSync(fd);
        throw error;
      }
      stopFresh();
      if (opts.durable === false) {
        closeSync(fd);
        return { path, size, sha256: hash.digest('hex'), ...(bytes && { bytes }) };
      }
      const syncing = fsyncFd(fd).finally(() => closeSync(fd));
      const done = { path, size, sha256: hash.digest('hex'), ...(bytes && { bytes }) };
      if (!opts.syncLater) {
        await syncing;
        return done;
      }
      syncing.catch(() => undefined); // the caller awaits `synced`; a failure must not count as unhandled meanwhile
      return { ...done, synced: syncing };
    });
  } catch (error) {
    await unlinkQuietly(path);
    throw error;
  }
}

/** The most of a body downloadToTemp holds in memory for `keepBytes` while it streams (see there). */
const KEPT_WHILE_STREAMING = 8 * 1024 * 1024;

/** The chunks as one array, without a second copy (a large one owns its buffer: it can be moved to a worker). */
function joined(chunks: Uint8Array[]): Uint8Array {
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
}

/** The same policy for small files wanted as bytes (previews); the cap bounds the memory used. */
export async function downloadBytes(url: string, opts: DownloadOptions): Promise<Uint8Array> {
  return withLimits(opts, async (signal) => {
    const response = await openChecked(url, opts, signal);
    const chunks: Uint8Array[] = [];
    await readBody(response, opts.maxBytes, async (chunk) => void chunks.push(chunk));
    return new Uint8Array(Buffer.concat(chunks));
  });
}

/** Downloads into `destDir` as `<sha256><ext>` (ext from the URL path, else `.bin`), streamed and renamed into place. */
export async function downloadToFile(url: string, destDir: string, opts: DownloadOptions): Promise<DownloadResult> {
  const temp = await downloadToTemp(url, destDir, opts);
  const path = join(destDir, `${temp.sha256}${extensionFromUrl(url)}`);
  try {
    await rename(temp.path, path);
  } catch (error) {
    await unlinkQuietly(temp.path);
    throw error;
  }
  return { path, sha256: temp.sha256, size: temp.size };
}

// ---- limits ------------------------------------------------------------------------------------

async function withLimits<T>(opts: DownloadOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('download timed out'));
  }, opts.timeoutMs);
  const onCallerAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await run(controller.signal);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (timedOut) throw new DownloadError('timeout', `The download took longer than ${Math.round(opts.timeoutMs / 1000)} s`, undefined, { cause: error });
    if (opts.signal?.aborted) throw new DownloadError('aborted', 'The download was canceled', undefined, { cause: error });
    throw new DownloadError('network', `The download failed: ${describe(error)}`, undefined, { cause: error });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function readBody(response: Response, maxBytes: number, onChunk: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, declared);
  }
  if (!response.body) return;
  await readCapped(response.body, maxBytes, onChunk, () => tooLarge(maxBytes));
}

function tooLarge(maxBytes: number, declared?: number): DownloadError {
  const size = declared !== undefined ? ` (${declared} bytes)` : '';
  return new DownloadError('too_large', `The download is larger than the ${maxBytes}-byte limit${size}`);
}

// ---- redirects (each hop checked by download-target.ts) ----------------------------------------

/** Follows redirects by hand, checking every address; returns the final 2xx response. */
async function openChecked(url: string, opts: DownloadOptions, signal: AbortSignal): Promise<Response> {
  const maxRedirects = opts.maxRedirects ?? 5;
  let current = url;
  for (let hop = 0; ; hop++) {
    const { url: target, trusted } = await checkTarget(current, opts);
    // Resolved and checked again for the connection itself, which uses only the addresses that pass.
    const response = opts.fetch
      ? await opts.fetch(target.href, { signal, redirect: 'manual' })
      : await requestPinned(target, signal, trusted ? undefined : () => checkedAddresses(target, opts));
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw new DownloadError('too_many_redirects', `The download was redirected more than ${maxRedirects} times`);
      current = resolveLocation(location, target);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError('http_error', `The server answered ${response.status} ${response.statusText}`.trim(), response.status);
    }
    return response;
  }
}

function extensionFromUrl(url: string): string {
  try {
    const match = /\.([a-z0-9]{1,8})$/i.exec(new URL(url).pathname);
    return match ? `.${match[1]!.toLowerCase()}` : '.bin';
  } catch {
    return '.bin';
  }
}
