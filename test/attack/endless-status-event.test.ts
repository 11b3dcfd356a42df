// Attack on the status event stream: a broken or hostile server sends one event that never ends (no
// blank line). @fal-ai/client's parser keeps an unfinished event in memory, so without a cap it grows
// with every byte. Each event is capped (1 MiB): the stream is ended with a clear error, the job - sent,
// its request id stored - keeps that id and is followed by polling instead; it is never failed or
// sent again.
import { afterEach, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../../src/core/fal/event-stream-cap';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ENDLESS = 32 * 1024 * 1024;

it('an endless status event is cut at the per-event cap; the job keeps its request id and is followed to the end by polling', async () => {
  const warnings: string[] = [];
  const logger = { info: (message: string, detail?: unknown) => warnings.push(`${message} ${String(detail ?? '')}`), warn: () => {}, error: () => {} };
  // A quiet stream is not given up early (the old code then read the whole event).
  h = await createHarness({ engine: { logger, timing: { streamIdleMs: 30_000 } } });
  h.fake.script({ op: 'stream', times: Infinity, fault: { kind: 'endlessEvent', bytes: ENDLESS } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('succeeded');
  expect(job.falRequestId).toBe(h.fake.submissions[0]!.requestId);
  expect(h.fake.submissions).toHaveLength(1);
  // The stream was given up long before the server's 32 MiB (what sockets buffer on the way aside).
  const streams = h.fake.requestsFor('stream');
  expect(streams.length).toBeGreaterThan(0);
  for (const stream of streams) expect(stream.bytesSent).toBeLessThan(ENDLESS);
  expect(warnings.some((line) => line.includes('status stream failed') && line.includes(`larger than ${MAX_EVENT_BYTES / 1024 / 1024} MiB`))).toBe(true);
}, 30_000);
