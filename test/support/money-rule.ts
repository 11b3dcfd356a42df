// The invariants every kill test checks at its end, read from the fake FAL server's own record and
// the data folder: no image was submitted twice, every job ended (or waits for the user with a
// reason), what FAL accepted is tracked by its request id, every model in the library is on disk,
// and the database is whole.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { Engine } from '../../src/core/engine';
import type { Job } from '../../src/shared/domain';
import type { FakeFal } from '../fake-fal/server';

export interface MoneyRuleReport {
  jobs: Job[];
  byState: Record<string, number>;
  submissions: number;
}

/** Checks the money rule over the folder's jobs; `label` names the test in every failure. */
export function expectMoneyRule(label: string, dataDir: string, fake: FakeFal, admin: Engine): MoneyRuleReport {
  const jobs = admin.listJobs();
  const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true }), `${label}: integrity_check`).toBe('ok');

    // By the fake's own record: each prepared image went into at most one accepted submission.
    const jobsWith = db.prepare(
      `SELECT j.id, j.state, j.error_code AS code, j.fal_request_id AS request, j.message FROM jobs j
       WHERE j.input_sha256 = @sha OR j.id IN (SELECT job_id FROM job_inputs WHERE sha256 = @sha) ORDER BY j.created_at`,
    );
    const seen = new Map<string, string>();
    for (const s of fake.submissions) {
      for (const sha of new Set(s.uploadSha256s)) {
        const first = seen.get(sha);
        if (first !== undefined) expect.fail(`${label}: image ${sha.slice(0, 12)} submitted twice (${first} and ${s.requestId}); its jobs: ${JSON.stringify(jobsWith.all({ sha }))}`);
        seen.set(sha, s.requestId);
      }
    }

    const shasOf = db.prepare('SELECT sha256 FROM job_inputs WHERE job_id = ? UNION SELECT input_sha256 FROM jobs WHERE id = ?').pluck();
    for (const job of jobs) {
      const what = `${label}: ${job.id} ${job.inputName} ${job.state} ${job.errorCode ?? ''} ${job.errorMessage ?? ''}`;
      const shas = new Set(shasOf.all(job.id, job.id) as string[]);
      // This job's: its generator's submissions of its images (the same photo may also have been made offline).
      const submissions = fake.submissions.filter((s) => s.endpointId === job.endpoint && s.uploadSha256s.some((sha) => shas.has(sha)));
      expect(submissions.length, `${what}: submissions`).toBeLessThanOrEqual(1);
      expect(['succeeded', 'failed', 'canceled', 'needs_attention'], what).toContain(job.state);
      if (job.state === 'needs_attention') expect(job.errorMessage, `${what}: needs attention without a reason`).toBeTruthy();
      // What FAL accepted is followed by its id; a job without one was settled as never received.
      else if (submissions.length === 1) expect(job.falRequestId, what).toBe(submissions[0]!.requestId);
      if (job.state === 'succeeded') expect(job.modelId, what).toBeTruthy();
    }

    const models = db.prepare('SELECT id FROM models').pluck().all() as string[];
    for (const id of models) {
      const file = admin.library.filePath(id);
      expect(file !== null && existsSync(file), `${label}: model ${id} is in the library but its file ${file} is not on disk`).toBe(true);
    }
  } finally {
    db.close();
  }
  const byState = jobs.reduce<Record<string, number>>((acc, j) => ({ ...acc, [j.state]: (acc[j.state] ?? 0) + 1 }), {});
  return { jobs, byState, submissions: fake.submissions.length };
}
