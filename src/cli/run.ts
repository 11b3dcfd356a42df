// Runs CLI jobs on the engine: add inputs, follow them to the end (run-follow.ts), copy finished models
// to --out (run-outputs.ts), and sum up what became of each input; a signal stops it (run-signals.ts).
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { AddJobsResult, ImageItem } from '../shared/contract';
import type { Job, Preset } from '../shared/domain';
import { canDownloadAgain } from '../shared/job-retry';
import { inCliWords } from './job-advice';
import { errorMessage } from '../core/util/errors';
import type { Engine } from '../core/engine';
import { jsonReporter, plainReporter, terminalReporter, type JobView, type Reporter } from './output';
import type { SetMember } from './input-set-args';
import { stopEngine } from './stop-engine';
import { openEngine, type CommonOptions } from './open-engine';
import { followRun, isTerminal } from './run-follow';
import { runOutputs } from './run-outputs';
import { settleCharges } from './settle-charges';
import { unsettledAdvice } from './charge-advice';
import { cliDataDir } from './data-folder';
import { cliFalKey } from './keys';
import { EXIT_BY_SIGNAL, listenForStop, STOPPED_BY } from './run-signals';

type RunRequest =
  | ({ kind: 'convert'; images: string[]; out: string; model: string; preset: Preset; option: Record<string, unknown>; concurrency: number; force: boolean; set?: SetMember[] | null } & CommonOptions)
  | ({ kind: 'resume'; out?: string; downloadAgain?: boolean } & CommonOptions);

/** How a job is named in reports; a multi-image job also names each of its images and views. */
const jobView = (job: Job): JobView =>
  job.inputs && job.inputs.length > 1
    ? { id: job.id, input: job.inputName, inputs: job.inputs.map(({ name, role }) => ({ name, role })) }
    : { id: job.id, input: job.inputName };

export async function runJobs(request: RunRequest): Promise<number> {
  const reporter: Reporter = request.json ? jsonReporter() : process.stdout.isTTY ? terminalReporter() : plainReporter();
  const dataDir = cliDataDir(request);
  const engine = openEngine({ ...request, concurrency: request.kind === 'convert' ? request.concurrency : undefined }, dataDir);
  const outputs: { input: string; file: string }[] = [];
  const problems: { input: string; message: string }[] = [];
  /** This run's images that joined a job (the same photo and settings, in this run or already on its way). */
  const joinedNames = new Map<string, string[]>();
  let rejectedCount = 0;
  const follow = followRun(engine, reporter);
  const { views } = follow;
  const written = runOutputs({
    engine,
    reporter,
    json: request.json,
    ownOut: request.kind === 'convert' ? resolve(request.out) : null,
    defaultOut: resolve(request.out ?? '.'),
    joinedNames,
    problems,
  });
  const { writeFailures } = written;
  const signals = listenForStop(engine, () => follow.end());

  try {
    await engine.start();
    // A signal while the engine started found nothing to stop.
    signals.stopIfInterrupted();
    if (request.kind === 'convert') {
      for (const result of await addConvertInputs(engine, request)) {
        for (const r of result.rejected) {
          rejectedCount++;
          reporter.rejected(r.input, r.reason);
        }
        for (const job of result.added) views.set(job.id, jobView(job));
        for (const { input, jobId } of result.joined ?? []) joinedNames.set(jobId, [...(joinedNames.get(jobId) ?? []), input]);
        for (const dup of result.duplicates ?? []) {
          const src = engine.library.filePath(dup.modelId);
          if (!src) continue;
          const file = await written.copyReused(dup.input, dup.modelId, src, resolve(request.out), request.set ? request.set.map(({ path }) => basename(path)) : null);
          if (file) outputs.push({ input: dup.input, file });
          reporter.note({
            code: 'reused',
            input: dup.input,
            modelId: dup.modelId,
            message: `${dup.input} was made before with the same settings; reused model ${dup.modelId} (use --force to pay for a new one).`,
          });
        }
      }
    } else {
      if (request.downloadAgain) {
        // The app's Download again, by the same rule: free, it fetches what FAL still holds.
        for (const job of engine.listJobs()) {
          if (!canDownloadAgain(job)) continue;
          await engine.retry(job.id, { mode: 'download' }).catch((error: unknown) => reporter.note({ code: 'download_again_failed', input: job.inputName, message: `${job.inputName}: ${errorMessage(error)}` }));
        }
      }
      for (const job of engine.listJobs()) if (!isTerminal(job)) views.set(job.id, jobView(job));
      // Finished by another process (the app) while no run followed them: their models still go to --out.
      for (const id of engine.unwrittenOutputs()) {
        const job = engine.getJob(id);
        if (job) views.set(id, jobView(job));
      }
      if (views.size === 0) reporter.note({ code: 'nothing_to_resume', message: 'Nothing to resume: every job has finished.' });
    }
    for (const id of views.keys()) {
      const job = engine.getJob(id);
      if (job) reporter.job(views.get(id)!, job);
    }
    follow.startFollowing();
    if (views.size > 0 && !follow.settled()) await follow.finished;
    // Jobs that ended "may be charged" (given up on FAL's errors, a run FAL failed, canceled after FAL
    // began it): settled from FAL's request history now, as the app would, before their lines are written.
    const ended = [...views.keys()].filter((id) => {
      const job = engine.getJob(id);
      return job !== null && job.falRequestId !== null && (job.state === 'failed' || job.state === 'canceled');
    });
    const charges = ended.length > 0 ? await settleCharges({ dataDir }, { falProxy: request.falProxy, jobIds: new Set(ended) }) : [];
    // Settled: its line says what FAL's records showed (a script reads the job lines).
    for (const charge of charges) {
      const job = charge.outcome === 'unsettled' ? null : engine.getJob(charge.id);
      if (job) reporter.job(views.get(charge.id)!, job);
    }
    let failed = rejectedCount + writeFailures.length;
    let needsAttention = 0;
    let pending = 0;
    for (const [id, view] of views) {
      const job = engine.getJob(id);
      if (job?.state === 'succeeded' && job.modelId) {
        const src = engine.library.filePath(job.modelId);
        if (src) {
          const before = writeFailures.length;
          const files = await written.writeOutputs(id, job.modelId, view.input, src);
          failed += writeFailures.length - before;
          if (files.length > 0 || writeFailures.length > before) {
            outputs.push(...files);
            continue;
          }
        }
      }
      // This run's other images that joined the job share its fate, each named.
      const inputs = [view.input, ...new Set((joinedNames.get(id) ?? []).map((name) => basename(name)).filter((name) => name !== view.input))];
      if (job && !isTerminal(job)) {
        pending += inputs.length;
        const message = follow.noKey && job.state === 'queued'
          ? 'waits for a FAL key: FAL_KEY=your-key image2model resume'
          : `not finished (${job.state.replace('_', ' ')}); run \`image2model resume\` to finish it`;
        for (const input of inputs) problems.push({ input, message });
        continue;
      }
      if (job?.state === 'needs_attention') needsAttention += inputs.length;
      else failed += inputs.length;
      const message = job ? inCliWords(job.errorMessage ?? job.state.replace('_', ' '), job) : 'removed (in the app or another run) before it finished here';
      for (const input of inputs) problems.push({ input, message });
    }
    const { interrupted } = signals;
    const { blockedMessage } = follow;
    if (interrupted) reporter.note({ code: 'interrupted', message: `${STOPPED_BY[interrupted]} Unfinished jobs are kept: run \`image2model resume\` to finish them (nothing is paid twice).` });
    if (blockedMessage) reporter.note({ code: 'blocked', message: blockedMessage });
    const unsettled = unsettledAdvice(charges, cliFalKey() !== null);
    if (unsettled) reporter.note({ code: 'may_be_charged', message: unsettled });
    reporter.summary({ succeeded: outputs.length, failed, needsAttention, pending, outputs, problems });
    reporter.close();
    if (interrupted) return EXIT_BY_SIGNAL[interrupted];
    return failed === 0 && needsAttention === 0 && pending === 0 && !blockedMessage ? 0 : 1;
  } finally {
    signals.offInterrupts();
    follow.off();
    // Leaves unfinished jobs resumable: leases released, nothing canceled on FAL (a submit on its way
    // is waited for, said so; a second Ctrl-C stops at once).
    try {
      await stopEngine(engine);
    } finally {
      signals.offHangUp();
    }
  }
}

/** convert's inputs into the queue: a set (--together, --views) as one job, each other image as one, folders as theirs. */
async function addConvertInputs(engine: Engine, request: Extract<RunRequest, { kind: 'convert' }>): Promise<AddJobsResult[]> {
  const items: ImageItem[] = [];
  const folders: string[] = [];
  // A set's images (--together, --views) are its own; the rest become one job each.
  for (const input of request.set ? [] : request.images) {
    const info = await stat(input).catch(() => null);
    if (info?.isDirectory()) folders.push(input);
    else items.push({ kind: 'path', path: resolve(input) });
  }
  const jobOptions = { endpoint: request.model, preset: request.preset, options: request.option, force: request.force, outputDir: resolve(request.out) };
  const results = [];
  if (request.set) {
    const inputs = request.set.map(({ path, role }) => ({ item: { kind: 'path' as const, path: resolve(path) }, role }));
    results.push(await engine.addSet(inputs, jobOptions));
  }
  if (items.length) results.push(await engine.addImages(items, jobOptions));
  for (const folder of folders) results.push(await engine.addFolder(resolve(folder), jobOptions));
  return results;
}
