// Attack: a cancel lands while the model of a job FAL has finished downloads (the app saw COMPLETED),
// and FAL's answer to the cancel is not ALREADY_COMPLETED - a 5xx, a lost connection, or a 404 for a
// request it has done with. The paid result was thrown away ("Canceled here, but FAL could not be
// told"; no model, no Download again), though the app itself knew there was nothing left to stop. A
// job known to be finished at FAL keeps its result whatever the cancel's answer.
import { afterEach, expect, it } from 'vitest';
import type { HttpFault } from '../fake-fal/types';
import { cancelDuringModelDownload, createHarness, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ANSWERS: [string, HttpFault][] = [
  ['a 500', { kind: 'infra', status: 500 }],
  ['a dropped connection', { kind: 'reset' }],
  ['a 404 NOT_FOUND', { kind: 'http', status: 404, body: { status: 'NOT_FOUND' } }],
];

it.each(ANSWERS)('a cancel during the model download of a finished job, answered with %s: the model is kept', async (_label, fault) => {
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000, downloadRetryMs: 60_000 } } });
  // The first model download stalls, so the cancel lands during it.
  h.fake.script({ op: 'cancel', times: Infinity, fault });
  const { downloading, ended: job } = await cancelDuringModelDownload(h);
  expect(downloading.state).toBe('downloading');
  expect(job.state).toBe('succeeded');
  expect(job.falRequestId).toBe(downloading.falRequestId);
  expect(h.engine.library.get(job.modelId!)).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
}, 45_000);
