// `image2model reconcile`, `resume` (which reconciles first) and `models` (FAL prices) through the
// CLI's own entry point, in-process, against the fake FAL server.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli as runCliMain } from '../../src/cli/main';
import { reconcileDataDir } from '../../src/cli/reconcile';
import { addOne, createHarness, inState, pngItem, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import type { Job } from '../../src/shared/domain';

async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runCliMain(args), stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let h: Harness | undefined;
const savedKey = process.env.FAL_KEY;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (savedKey === undefined) delete process.env.FAL_KEY;
  else process.env.FAL_KEY = savedKey;
});

/**
 * A job whose first send lost its answer (FAL received it, or it never got there), sent again by a
 * confirmed Retry and finished; the engine stopped and the CLI given the key.
 */
async function sentAgainAfterLostAnswer(received: boolean): Promise<{ harness: Harness; done: Job; firstRequest: string | undefined }> {
  h = await createHarness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', ...(received && { afterHandling: true }) } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  const firstRequest = h.fake.submissions[0]?.requestId;
  await h.engine.retry(id, { confirm: true });
  const done = await waitForJob(h.engine, id, inState('succeeded'));
  await h.engine.stop();
  process.env.FAL_KEY = TEST_KEY;
  return { harness: h, done, firstRequest };
}

describe('image2model reconcile / resume / models', () => {
  it('reconcile adopts what FAL received, waits on the rest; resume then finishes everything once per input', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const received = await addOne(h.engine);
    await waitForJob(h.engine, received, inState('needs_attention'));
    h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
    const lost = await addOne(h.engine);
    await waitForJob(h.engine, lost, inState('needs_attention'));
    await h.engine.stop();
    process.env.FAL_KEY = TEST_KEY;
    const common = ['--data-dir', h.dataDir, '--fal-proxy', h.fake.url];

    const first = await runCli(['reconcile', '--json', ...common]);
    expect(first.code).toBe(1); // one is still settling
    const report = JSON.parse(first.stdout.trim()) as { jobs: { id: string; outcome: string; message: string }[] };
    expect(report.jobs.map((j) => [j.id, j.outcome])).toEqual([
      [received, 'adopted'],
      [lost, 'waiting'],
    ]);
    expect(report.jobs[1]!.message).toMatch(/keeps asking until/);

    // Past the settle time: FAL has no record, with the evidence.
    const settled = await reconcileDataDir({ dataDir: h.dataDir, falProxy: h.fake.url, settleMinutes: 0 });
    expect(settled.jobs).toEqual([{ id: lost, input: expect.any(String), outcome: 'not_received', message: expect.stringMatching(/^FAL has no record of this submission \(checked at/) }]);
    const plain = await runCli(['reconcile', ...common]);
    expect(plain.stdout).toMatch(/No job is waiting for an answer from FAL/);

    const resumed = await runCli(['resume', '--resubmit-unreceived', '--out', h.dataDir, ...common]);
    expect(resumed.code).toBe(0);
    expect(h.fake.submissions).toHaveLength(2);
    expect(h.fake.submissionsFor(h.fake.submissions[0]!.uploadSha256s[0]!)).toBe(1);
    expect(h.fake.submissionsFor(h.fake.submissions[1]!.uploadSha256s[0]!)).toBe(1);
  });

  it('reconcile says in plain words that an earlier send was found in FAL\'s records, and what it counted', async () => {
    // FAL received the first send of this job, but its answer was lost; the user confirmed Retry.
    const { harness, done, firstRequest } = await sentAgainAfterLostAnswer(true);

    const plain = await runCli(['reconcile', '--data-dir', harness.dataDir, '--fal-proxy', harness.fake.url]);
    expect(plain.code).toBe(0);
    const usd = done.estimatedCostUsd!.toFixed(2);
    expect(plain.stdout).toContain(`An earlier send of "${done.inputName}" (sent `);
    expect(plain.stdout).toContain(`was found in FAL's records (request ${firstRequest}): counted as $${usd} of spend.\n`);
  });

  it('resume says so too when the only thing it settled was an earlier send, then finishes as usual', async () => {
    const { harness, firstRequest } = await sentAgainAfterLostAnswer(true);

    const resumed = await runCli(['resume', '--out', harness.dataDir, '--data-dir', harness.dataDir, '--fal-proxy', harness.fake.url]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`was found in FAL's records (request ${firstRequest})`);
    expect(harness.fake.submissions).toHaveLength(2); // nothing sent again
  });

  it('reconcile says in plain words that an earlier send was never received by FAL, and no longer counts', async () => {
    // The first send never reached FAL (reset before it was handled); the user confirmed Retry.
    const { harness, done } = await sentAgainAfterLostAnswer(false);
    process.env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS = '0';
    try {
      const plain = await runCli(['reconcile', '--data-dir', harness.dataDir, '--fal-proxy', harness.fake.url]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(
        new RegExp(`^An earlier send of "${done.inputName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" \\(sent [^)]+\\) was never received by FAL \\(checked at [^)]+\\): no longer counted as a possible charge\\.$`, 'm'),
      );
    } finally {
      delete process.env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS;
    }
  });

  it('reconcile does not call a resend safe when the same photo was made again as another job (--force)', async () => {
    h = await createHarness();
    const photo = await pngItem();
    h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
    const lost = (await h.engine.addImages([photo], {})).added[0]!.id;
    await waitForJob(h.engine, lost, inState('needs_attention'));
    const again = (await h.engine.addImages([photo], { force: true })).added.find((job) => job.id !== lost)!;
    await waitForJob(h.engine, again.id, inState('succeeded'));
    await h.engine.stop();
    process.env.FAL_KEY = TEST_KEY;

    process.env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS = '0';
    try {
      const plain = await runCli(['reconcile', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/^not sent {2}/m);
      expect(plain.stdout).toMatch(/FAL has no record of this submission \(checked at [^)]+\), so it was never charged - but .* second model/);
      expect(plain.stdout).not.toMatch(/safe/i);
      // The footer agrees with the job's line: --resubmit-unreceived does not send it.
      expect(plain.stdout).not.toContain('--resubmit-unreceived` sends them');
      expect(plain.stdout).toContain('One job marked "not sent" was made again as another job: `resume --resubmit-unreceived` does not send it (that would pay for a second model).');
    } finally {
      delete process.env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS;
    }
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('models shows FAL prices with their date, or labelled built-in prices without a key', async () => {
    h = await createHarness({ start: false, fake: { platform: { prices: { 'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.23 } } } } });
    delete process.env.FAL_KEY;
    const offline = await runCli(['models', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url]);
    expect(offline.stdout).toMatch(/draft \$0\.20, standard \$0\.30, high \$0\.40 \(built-in estimate/);
    process.env.FAL_KEY = TEST_KEY;
    const live = await runCli(['models', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url]);
    expect(live.stdout).toMatch(/tripo3d\/tripo\/v2\.5\/image-to-3d\n.*\n {2}presets: draft \$0\.23, standard \$0\.35, high \$0\.46 \(FAL price as of [^)\n]*\d{4}/);
    const json = await runCli(['models', '--json', '--data-dir', h.dataDir]);
    expect(JSON.parse(json.stdout.split('\n')[0]!)).toMatchObject({ price: { source: 'fal', unitPriceUsd: 0.23 } });
  });
});
