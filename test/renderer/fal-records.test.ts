// "Check FAL's records now" in the review dialog: which jobs offer it, and what a check's report
// (reconcile:run) says in plain words - naming the jobs, once per reason, with the fix where it is.
import { describe, expect, it } from 'vitest';
import type { WaitReason } from '../../src/core/reconcile/messages';
import type { Job } from '../../src/shared/domain';
import { canCheckFalRecords, jobPhase, phaseAfterCheck, quotedNames, recordsLines, type ReconcileReport } from '../../src/renderer/src/features/queue/fal-records';

const report = (patch: Partial<ReconcileReport>): ReconcileReport => ({
  checked: 0,
  adopted: [],
  absent: [],
  resubmitted: [],
  waiting: [],
  pastFound: [],
  pastAbsent: [],
  ...patch,
});
const NAMES: Record<string, string> = { a: 'robot.png', b: 'vase.jpg', c: 'lamp.png', d: 'owl.png', e: 'chair.png' };
const nameOf = (id: string) => NAMES[id] ?? null;
const timeOf = (ms: number) => `T${ms}`;
const texts = (r: ReconcileReport) => recordsLines(r, nameOf, timeOf).map((line) => line.text);

describe('which jobs can be checked in FAL’s records', () => {
  const job = (patch: Partial<Job>) => ({ state: 'needs_attention', falRequestId: null, errorCode: 'submit_uncertain', ...patch }) as Job;
  it('a job whose submit answer was lost (no request id kept)', () => {
    expect(canCheckFalRecords(job({}))).toBe(true);
    expect(canCheckFalRecords(job({ errorCode: 'submit_interrupted' }))).toBe(true);
    expect(canCheckFalRecords(job({ errorCode: 'cancel_uncertain' }))).toBe(true);
  });
  it('not one FAL already answered, one proven never received, or one that does not need attention', () => {
    expect(canCheckFalRecords(job({ falRequestId: 'req-1', errorCode: 'submit_unrecorded' }))).toBe(false);
    expect(canCheckFalRecords(job({ errorCode: 'submit_not_received' }))).toBe(false);
    expect(canCheckFalRecords(job({ state: 'failed' }))).toBe(false);
    expect(canCheckFalRecords(job({ state: 'queued' }))).toBe(false);
  });
});

describe('what a check of FAL’s records found', () => {
  it('a job FAL had received is followed, not sent again', () => {
    const lines = recordsLines(report({ checked: 1, adopted: [{ jobId: 'a', requestId: 'req-77' }] }), nameOf, timeOf);
    expect(lines).toEqual([
      { tone: 'success', text: 'FAL had received “robot.png” (request req-77): the app follows that request now. Nothing is sent or charged twice.', fixInSettings: false },
    ]);
  });

  it('jobs FAL never received are safe to send again; those the app resends say so instead', () => {
    expect(texts(report({ checked: 2, absent: [{ jobId: 'a', checkedAt: 1 }, { jobId: 'b', checkedAt: 1 }] }))).toEqual([
      'FAL never received “robot.png” and “vase.jpg”: they were never charged, so sending them again is safe.',
    ]);
    expect(texts(report({ checked: 2, absent: [{ jobId: 'a', checkedAt: 1 }, { jobId: 'b', checkedAt: 1 }], resubmitted: ['b'] }))).toEqual([
      'FAL never received “robot.png”: it was never charged, so sending it again is safe.',
      'FAL never received “vase.jpg”: the app sends it again now (charged once).',
    ]);
  });

  it('without a FAL key: one line for all the jobs, pointing to Settings, with when the app looks again by itself', () => {
    const lines = recordsLines(
      report({
        waiting: [
          { jobId: 'a', reason: 'no_key', nextCheckAt: 500 },
          { jobId: 'b', reason: 'no_key', nextCheckAt: 300 },
        ],
      }),
      nameOf,
      timeOf,
    );
    expect(lines).toEqual([
      {
        tone: 'warning',
        text: "No FAL key is set, so the app cannot look in FAL's records for “robot.png” and “vase.jpg”. Add your FAL key in Settings, then check again. The app also checks again by itself at T300.",
        fixInSettings: true,
      },
    ]);
  });

  it('different reasons stay apart; a key without the permission points to fal.ai and Settings', () => {
    const lines = recordsLines(
      report({
        checked: 1,
        waiting: [
          { jobId: 'a', reason: 'no_permission', nextCheckAt: 10 },
          { jobId: 'b', reason: 'settling', nextCheckAt: 20 },
          { jobId: 'c', reason: 'no_permission', nextCheckAt: 30 },
        ],
      }),
      nameOf,
      timeOf,
    );
    expect(lines.map((l) => [l.fixInSettings, l.text])).toEqual([
      [
        true,
        "Your FAL key may not read FAL's request history, so the app cannot tell whether FAL received “robot.png” and “lamp.png”. Give the key that permission at fal.ai/dashboard/keys (or add a key that has it in Settings), then check again. The app also checks again by itself at T10.",
      ],
      [false, 'FAL lists no request for “vase.jpg” yet; it can take a few minutes to list one. Nothing is sent twice meanwhile. The app also checks again by itself at T20.'],
    ]);
  });

  it('a job whose sent input is unknown is not promised a later check that cannot settle it', () => {
    const [line] = texts(report({ checked: 1, waiting: [{ jobId: 'a', reason: 'unknown_input', nextCheckAt: 40 }] }));
    expect(line).toMatch(/^The app no longer knows exactly what it sent for “robot.png”.*before retrying: retrying may be charged twice\.$/);
    expect(line).not.toContain('checks again by itself');
  });

  it('every reason the reconciler can give has its own words (only a platform error uses the general ones)', () => {
    const reasons: Record<WaitReason, true> = {
      settling: true, no_permission: true, no_payloads: true, unreadable_rows: true, unknown_input: true, offline: true, platform_down: true, no_key: true, key_rejected: true, platform_error: true,
    };
    const general = texts(report({ waiting: [{ jobId: 'a', reason: 'something new', nextCheckAt: 1 }] }))[0];
    expect(general).toBe("FAL's platform API gave an answer the app could not use, so “robot.png” could not be checked. The app also checks again by itself at T1.");
    const own = Object.keys(reasons).filter((reason) => texts(report({ waiting: [{ jobId: 'a', reason, nextCheckAt: 1 }] }))[0] !== general);
    expect(own.sort()).toEqual(Object.keys(reasons).filter((r) => r !== 'platform_error').sort());
  });

  it('earlier sends are told in the core’s own words; jobs gone from the queue are named as such', () => {
    const found = 'An earlier send of "owl.png" (sent 2026-01-01 10:00:00 UTC) was found in FAL\'s records (request r9): counted as $0.30 of spend.';
    const absent = 'An earlier send of a job removed since (sent 2026-01-01 10:00:00 UTC) was never received by FAL (checked at 2026-01-01 10:20:00 UTC): no longer counted as a possible charge.';
    expect(
      texts(
        report({
          checked: 3,
          adopted: [{ jobId: 'gone', requestId: 'r1' }],
          pastFound: [{ jobId: 'd', sentAt: 1, requestId: 'r9', usd: 0.3, message: found }],
          pastAbsent: [{ jobId: 'x', sentAt: 1, message: absent }],
        }),
      ),
    ).toEqual(['FAL had received a job no longer in the queue (request r1): the app follows that request now. Nothing is sent or charged twice.', found, absent]);
  });

  it('nothing to settle says so', () => {
    expect(texts(report({}))).toEqual(["FAL's records had nothing left to settle: no job is waiting for an answer from FAL."]);
  });

  it('many names are shortened', () => {
    expect(quotedNames(['a', 'b', 'c', 'd', 'e'])).toBe('“a”, “b”, “c” and 2 more');
    expect(quotedNames(['a', 'b', 'c'])).toBe('“a”, “b” and “c”');
  });
});

describe('where a check left a job (what it found holds while the job stays there)', () => {
  const job = (patch: Partial<Job>) => ({ id: 'a', state: 'needs_attention', errorCode: 'submit_uncertain', ...patch }) as Job;
  it('the report says: followed or sent again, never received, still waiting', () => {
    expect(phaseAfterCheck(report({ adopted: [{ jobId: 'a', requestId: 'r' }] }), job({}))).toBe('on_its_way');
    expect(phaseAfterCheck(report({ absent: [{ jobId: 'a', checkedAt: 1 }], resubmitted: ['a'] }), job({}))).toBe('on_its_way');
    expect(phaseAfterCheck(report({ absent: [{ jobId: 'a', checkedAt: 1 }] }), job({}))).toBe('not_received');
    expect(phaseAfterCheck(report({ waiting: [{ jobId: 'a', reason: 'settling', nextCheckAt: 1 }] }), job({}))).toBe('waiting');
  });
  it('a job the report does not name stays where it is', () => {
    expect(phaseAfterCheck(report({ adopted: [{ jobId: 'b', requestId: 'r' }] }), job({ state: 'running' }))).toBe('on_its_way');
    expect(phaseAfterCheck(report({}), job({ state: 'failed' }))).toBe('failed');
  });
  it('the phases a job moves through', () => {
    expect(jobPhase(job({}))).toBe('waiting');
    expect(jobPhase(job({ errorCode: 'submit_not_received' }))).toBe('not_received');
    expect(jobPhase(job({ state: 'submitted' }))).toBe('on_its_way');
    expect(jobPhase(job({ state: 'queued' }))).toBe('on_its_way');
    expect(jobPhase(job({ state: 'succeeded' }))).toBe('succeeded');
    expect(jobPhase(job({ state: 'failed' }))).toBe('failed');
  });
});
