// Attack (issue 15, jobs:setModel): the app switches a job's generator while another process on the
// same data folder (a CLI `resume`) picks it up and sends it to FAL. Whoever wins, FAL receives the
// job once, with the generator the job shows, and a job that left for FAL is never switched.
import { afterEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import { AppError } from '../../src/shared/result';
import { addOne, createHarness, FAST_TIMING, inState, waitForJob, type Harness } from '../core/engine/harness';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';

let h: Harness | undefined;
let app: Engine | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await h?.close();
  h = undefined;
});

it('switching in a tight loop while the other process claims and submits: one submission, with the shown generator', async () => {
  // The worker (a CLI run with a key) starts stopped; the app (no key) only switches.
  h = await createHarness({ start: false });
  h.fake.script({ op: 'submit', delayMs: 300, times: 10 });
  app = createEngine({ dataDir: h.dataDir, getFalKey: () => null, timing: FAST_TIMING });
  await app.start();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await addOne(app, { endpoint: TRIPO, preset: 'draft' }));

  let switches = 0;
  let refusals = 0;
  let running = true;
  const hammer = (async () => {
    for (let n = 0; running; n++) {
      for (const id of ids) {
        try {
          app!.setModel(id, { endpoint: n % 2 === 0 ? TRELLIS : TRIPO });
          switches++;
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
          refusals++;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await h.engine.start();
  for (const id of ids) await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'), 30_000);
  running = false;
  await hammer;

  expect(switches).toBeGreaterThan(0);
  expect(refusals).toBeGreaterThan(0);
  for (const id of ids) {
    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('succeeded');
    const sent = h.fake.submissions.filter((s) => s.requestId === job.falRequestId);
    expect(sent).toHaveLength(1);
    // FAL ran the generator the job (and its estimate) names.
    expect(sent[0]!.endpointId).toBe(job.endpoint);
    expect(h.engine.library.get(job.modelId!)!.endpoint).toBe(job.endpoint);
  }
  expect(h.fake.submissions).toHaveLength(ids.length);
});
