// Runs CLI jobs on the engine: add inputs, follow them to the end, copy finished models to --out.
import { stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { copyToFreePath } from '../core/auto-export';
import { makeOutputFolder } from './out-dir';
import type { ImageItem } from '../shared/contract';
import { TERMINAL_STATES, type Job, type Preset, type QueueState } from '../shared/domain';
import { appInputLimits, appSpendingCap } from './app-settings';
import { canDownloadAgain } from '../shared/job-retry';
import { inCliWords } from './job-advice';
import { errorMessage } from '../core/util/errors';
import { createEngine, type Engine } from '../core/engine';
import { keyGuardFetch, routeFromCommandLine } from '../core/fal/key-guard';
import { createCliLogger } from './logger';
import { setOutputName, writeJobOutput, writeJoinedOutput } from './write-output';
import { cliDataDir, rememberCliDataDir } from './data-folder';
import { jsonReporter, plainReporter, terminalReporter, type JobView, type Reporter } from './output';
import type { SetMember } from './input-set-args';
import { nodeFetch } from '../core/fal/node-fetch';
import { cliFalKey, cliOtherKeys } from './keys';
import { stopEngine } from './stop-engine';
import { shellWord } from './shell-word';

export interface CommonOptions {
  dataDir?: string;
  startFresh?: boolean;
  falProxy?: string;
  json: boolean;
}

type RunRequest =
  | ({ kind: 'convert'; images: string[]; out: string; model: string; preset: Preset; option: Record<string, unknown>; concurrency: number; force: boolean; set?: SetMember[] | null } & CommonOptions)
  | ({ kind: 'resume'; out?: string; downloadAgain?: boolean } & CommonOptions);

type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const STOPPED_BY: Record<StopSignal, string> = {
  SIGINT: 'Interrupted.',
  SIGTERM: 'Stopped (SIGTERM).',
  SIGHUP: 'Stopped: the terminal was closed (SIGHUP).',
};

/** Ctrl-C ends a run with 1 (some inputs did not become models); SIGTERM and SIGHUP as a shell reports them (128 + the signal). */
const EXIT_BY_SIGNAL: Record<StopSignal, number> = { SIGINT: 1, SIGTERM: 143, SIGHUP: 129 };

/** `dataDir`: the commands that only read pass the one readDataDir found; the others make a missing one. */
export function openEngine(opts: CommonOptions & { concurrency?: number }, dataDir: string = cliDataDir(opts)): Engine {
  // Typing --fal-proxy / IMAGE2MODEL_FAL_PROXY is the user's confirmation; the key guard applies the rest.
  const route = routeFromCommandLine(opts.falProxy ?? process.env.IMAGE2MODEL_FAL_PROXY ?? null, process.env);
  const engine = createEngine({
    dataDir,
    getFalKey: cliFalKey,
    getOtherKeys: cliOtherKeys,
    falProxyUrl: route.proxyUrl,
    fetch: keyGuardFetch(nodeFetch, () => route),
    concurrency: opts.concurrency ?? 2,
    logger: createCliLogger(dataDir),
    // The cap set in the app holds the CLI's FAL jobs too: one folder, one month's spend.
    getSpendingCapUsd: appSpendingCap(dataDir),
    // Prepared as the app prepares them, so a photo it made is known again here.
    inputLimits: appInputLimits(dataDir),
  });
  rememberCliDataDir(dataDir);
  return engine;
}

const isTerminal = (job: Job) => TERMINAL_STATES.includes(job.state);

/** How a job is named in reports; a multi-image job also names each of its images and views. */
const jobView = (job: Job): JobView =>
  job.inputs && job.inputs.length > 1
    ? { id: job.id, input: job.inputName, inputs: job.inputs.map(({ name, role }) => ({ name, role })) }
    : { id: job.id, input: job.inputName };


export async function runJobs(request: RunRequest): Promise<number> {
  const reporter: Reporter = request.json ? jsonReporter() : process.stdout.isTTY ? terminalReporter() : plainReporter();
  const engine = openEngine({ ...request, concurrency: request.kind === 'convert' ? request.concurrency : undefined });
  const views = new Map<string, { id: string; input: string }>();
  const outputs: { input: string; file: string }[] = [];
  const problems: { input: string; message: string }[] = [];
  /** This run's images that joined a job (the same photo and settings, in this run or already on its way). */
  const joinedNames = new Map<string, string[]>();
  let rejectedCount = 0;
  let finishedResolve: () => void = () => {};
  const finished = new Promise<void>((r) => (finishedResolve = r));
  let blockedMessage: string | null = null;
  /** FAL jobs wait for a key this run does not have (FAL_KEY unset). */
  let noKey = false;

  // A job removed meanwhile (from the app, once another process finished or canceled it) is done
  // for this run too: waiting for it would never end.
  const allDone = () => [...views.keys()].every((id) => {
    const job = engine.getJob(id);
    return job === null || isTerminal(job);
  });

  // Set once every job of this run is in `views`: "all done" over a partial list would end the wait early.
  let following = false;
  // The spending cap is reached (or the disk failed a save): this run's jobs FAL already has (sent, so
  // paid) are still followed and their models written; the run ends once only jobs it holds are left.
  let capHolds = false;
  const heldByCap = (job: Job) => job.state === 'queued' && job.falRequestId === null;
  const onlyHeldLeft = () => [...views.keys()].every((id) => {
    const job = engine.getJob(id);
    return job === null || isTerminal(job) || heldByCap(job);
  });
  const onJob = (job: Job) => {
    const view = views.get(job.id);
    if (!view) return;
    reporter.job(view, job);
    if (following && (allDone() || (capHolds && onlyHeldLeft()))) finishedResolve();
  };
  /** The offline notice last printed: said once, not at every probe (each one sends a queue change). */
  let offlineNoted: string | null = null;
  /** A slow disk was said (once while it lasts: the state is sent again as counts change). */
  let slowNoted = false;
  const onQueue = (state: QueueState) => {
    if (state.status === 'disk_slow' && !slowNoted) reporter.note({ code: 'disk_slow', message: state.message ?? 'Saving to disk is taking unusually long; jobs wait until the disk answers.' });
    slowNoted = state.status === 'disk_slow';
    if (state.status !== 'offline' && offlineNoted !== null) {
      offlineNoted = null;
      if (state.status === 'running') reporter.note({ code: 'online', message: 'FAL can be reached again.' });
    }
    if (state.status === 'no_key') {
      // The engine's message names the app's Settings, whose key the CLI does not read.
      noKey = true;
      blockedMessage = `Jobs that run on FAL wait for a key: run \`FAL_KEY=your-key image2model resume\`. The CLI reads the key only from FAL_KEY, not from the app's Settings; the app can also run them offline.`;
      finishedResolve();
    } else if (state.status === 'key_rejected') {
      blockedMessage = state.message ?? `The queue is paused (${state.status}).`;
      finishedResolve();
    } else if (state.status === 'balance_used_up') {
      // The engine's message names the app's Test key; from here, a new run tries the jobs again.
      blockedMessage = 'Your FAL balance is used up: FAL refused the jobs (nothing was charged; they stay queued). Top up at fal.ai/dashboard/billing, then run `image2model resume`.';
      finishedResolve();
    } else if (state.status === 'spending_cap' && !state.capStarting) {
      // (A cap used up by jobs already started is not reached yet: they are sent and followed first.)
      capHolds = true;
      blockedMessage = `${state.message ?? "This month's spending cap is reached."} The cap is set in the app's Settings; raise it there, then run \`image2model resume\` for the jobs it holds.`;
    } else if (state.status === 'disk_error') {
      // As the cap: jobs FAL already has are followed; the ones not sent stay queued for a later run.
      capHolds = true;
      blockedMessage = `${state.message ?? 'Paused: the disk reported an error while saving.'} From the command line: check the disk, then run \`image2model resume\`.`;
    } else if (state.status === 'offline') {
      const message = state.message ?? 'Offline: waiting for the network...';
      if (message !== offlineNoted) reporter.note({ code: 'offline', message });
      offlineNoted = message;
    } else if (state.status === 'running') {
      capHolds = false;
      blockedMessage = null;
    }
    // A removed job sends no job event, only a queue change.
    if (following && (allDone() || (capHolds && onlyHeldLeft()))) finishedResolve();
  };
  const offs = [engine.on('job', onJob), engine.on('queue', onQueue)];

  /** Models made (and paid for) whose file could not be written to --out: said, and the run goes on. */
  const writeFailures: { input: string; message: string }[] = [];
  const writeOrSay = async (input: string, modelId: string, dir: string, write: () => Promise<string | null>): Promise<string | null> => {
    try {
      return await write();
    } catch (error) {
      const file = join(dir, `${basename(input, extname(input))}.glb`);
      const cause = errorMessage(error).trim();
      const message =
        `The model was made but could not be written to ${dir}: ${/[.!?]$/.test(cause) ? cause : `${cause}.`} ` +
        `It is in the library (model ${modelId}); once that is fixed, \`image2model export ${modelId} ${shellWord(file)}\` writes it.`;
      writeFailures.push({ input, message });
      problems.push({ input, message });
      reporter.note({ code: 'write_failed', input, modelId, message });
      return null;
    }
  };

  /** The signal that stopped the run (Ctrl-C, a closed terminal, a kill), null while none did. */
  let interrupted: StopSignal | null = null;
  // No new work from the signal on: claims end now, not once the images still being added (a big
  // folder takes seconds) and the summary are done - meanwhile every job added was sent, and paid for.
  // A submit on its way is still waited for (stopEngine says so); the jobs not sent stay queued.
  const stopClaiming = () => void engine.stop().catch(() => undefined); // stopEngine's stop() reports a failure
  const onSignal = (signal: StopSignal) => {
    interrupted ??= signal;
    stopClaiming();
    finishedResolve();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A closed terminal (SIGHUP) stops the run as Ctrl-C does - never the default, which kills the
  // process with its jobs under a live-looking lease. Listened for until the engine has stopped: a
  // hang-up while it waits for a submit's answer must not end that wait (the answer names the request).
  process.on('SIGHUP', onSignal);

  try {
    await engine.start();
    // A signal while the engine started found nothing to stop.
    if (interrupted) stopClaiming();
    if (request.kind === 'convert') {
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
      for (const result of results) {
        for (const r of result.rejected) {
          rejectedCount++;
          reporter.rejected(r.input, r.reason);
        }
        for (const job of result.added) views.set(job.id, jobView(job));
        for (const { input, jobId } of result.joined ?? []) joinedNames.set(jobId, [...(joinedNames.get(jobId) ?? []), input]);
        for (const dup of result.duplicates ?? []) {
          const src = engine.library.filePath(dup.modelId);
          if (!src) continue;
          // `photo.jpg` -> `<out>/photo.glb`, or `photo-2.glb`...: never over a file (another export's, made meanwhile).
          const file = await writeOrSay(dup.input, dup.modelId, resolve(request.out), async () => {
            await makeOutputFolder(resolve(request.out), request.json);
            const name = (request.set ? setOutputName(request.set.map(({ path }) => basename(path))) : null) ?? dup.input;
            return copyToFreePath(src, resolve(request.out), basename(name, extname(name)));
          });
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
    following = true;
    if (views.size > 0 && !allDone() && !(capHolds && onlyHeldLeft())) await finished;
    /**
     * The job's own file (into the --out it was made with, once over every run following it), and the
     * files images that joined it asked for (another name, or another --out than the run that made the
     * job): joined, they were not paid for again, but they were asked for. They are kept with the job,
     * so a convert writes its own and `resume` writes every one (the run that asked may have been stopped).
     */
    const writeOutputs = async (id: string, modelId: string, jobInput: string, src: string) => {
      // A set's model is named after what its photos share, else its first photo (not its "a and 2 more").
      const fileName = setOutputName(engine.getJob(id)?.inputs?.map((input) => input.name)) ?? jobInput;
      const files: { input: string; file: string }[] = [];
      const jobOut = engine.jobOutputDir(id);
      const ownOut = request.kind === 'convert' ? resolve(request.out) : null;
      if (ownOut === null || jobOut === null || jobOut === ownOut) {
        // The folder given when the job was created wins (resume writes where convert meant to).
        const outDir = jobOut ?? resolve(request.out ?? '.');
        // Another run following this job (a second `resume`) may have written it already: once is enough.
        const file = await writeOrSay(jobInput, modelId, outDir, async () => {
          await makeOutputFolder(outDir, request.json);
          return writeJobOutput(engine, id, src, { dir: outDir, name: fileName });
        });
        if (file) files.push({ input: jobInput, file });
      }
      const mine = new Set((joinedNames.get(id) ?? []).flatMap((name) => [name, basename(name)]));
      for (const output of engine.joinedOutputs(id)) {
        if (ownOut !== null && (output.dir !== ownOut || !mine.has(output.name))) continue; // another run's
        const file = await writeOrSay(output.name, modelId, output.dir, async () => {
          await makeOutputFolder(output.dir, request.json);
          return writeJoinedOutput(engine, id, output, src, { dir: output.dir, name: fileName === jobInput ? output.name : fileName });
        });
        if (file) files.push({ input: output.name, file });
      }
      return files;
    };
    let failed = rejectedCount + writeFailures.length;
    let needsAttention = 0;
    let pending = 0;
    for (const [id, view] of views) {
      const job = engine.getJob(id);
      if (job?.state === 'succeeded' && job.modelId) {
        const src = engine.library.filePath(job.modelId);
        if (src) {
          const before = writeFailures.length;
          const files = await writeOutputs(id, job.modelId, view.input, src);
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
        const message = noKey && job.state === 'queued'
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
    if (interrupted) reporter.note({ code: 'interrupted', message: `${STOPPED_BY[interrupted]} Unfinished jobs are kept: run \`image2model resume\` to finish them (nothing is paid twice).` });
    if (blockedMessage) reporter.note({ code: 'blocked', message: blockedMessage });
    reporter.summary({ succeeded: outputs.length, failed, needsAttention, pending, outputs, problems });
    reporter.close();
    if (interrupted) return EXIT_BY_SIGNAL[interrupted];
    return failed === 0 && needsAttention === 0 && pending === 0 && !blockedMessage ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    offs.forEach((off) => off?.());
    // Leaves unfinished jobs resumable: leases released, nothing canceled on FAL (a submit on its way
    // is waited for, said so; a second Ctrl-C stops at once).
    try {
      await stopEngine(engine);
    } finally {
      process.off('SIGHUP', onSignal);
    }
  }
}
