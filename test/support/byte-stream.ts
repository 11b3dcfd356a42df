// A web byte stream cut into chunks of a fixed size (boundaries fall anywhere: mid-line, mid-character),
// for tests of the transforms on FAL's status stream.

export function chunkedStream(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + chunkSize));
      at += chunkSize;
    },
  });
}
