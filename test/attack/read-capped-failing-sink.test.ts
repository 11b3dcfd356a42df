// Attack on util/read-capped.ts: when the consumer of a chunk fails (a download's disk write: disk
// full, a removed folder), the body must be cancelled like on the cap - not left open holding its
// connection until the server gives up.
import { expect, it } from 'vitest';
import { readCapped } from '../../src/core/util/read-capped';

it('a failing chunk consumer cancels the body and its error comes through', async () => {
  let canceled = false;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(10));
    },
    cancel() {
      canceled = true;
    },
  });
  const diskFull = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  await expect(
    readCapped(body, 1_000, () => Promise.reject(diskFull), () => new Error('too large')),
  ).rejects.toBe(diskFull);
  expect(canceled).toBe(true);
  expect(pulled).toBeLessThan(100);
});

it('over the cap: the body is cancelled and the cap error comes through', async () => {
  let canceled = false;
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array(100)),
    cancel: () => void (canceled = true),
  });
  const seen: number[] = [];
  await expect(readCapped(body, 250, (chunk) => void seen.push(chunk.byteLength), () => new Error('too large'))).rejects.toThrow('too large');
  expect(canceled).toBe(true);
  expect(seen.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(250);
});
