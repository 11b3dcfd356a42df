// Reading a web body chunk by chunk under a size cap: the downloads (library/download.ts) and FAL's
// API answers taken from the real fetch (fal/node-fetch.ts) both must never read past their cap.

/**
 * Hands each chunk of `body` to `onChunk`; once more than `maxBytes` have come, cancels the body and
 * throws `tooLarge()`. A failing `onChunk` cancels the body too, its error passed on.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  tooLarge: () => Error,
): Promise<void> {
  const reader = body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    try {
      await onChunk(value);
    } catch (error) {
      // The consumer failed (a download's disk write): the body must not stay open holding its connection.
      await reader.cancel().catch(() => undefined);
      throw error;
    }
  }
}
