// `image2model reconcile [--json]`: asks FAL's request history about every job whose submit answer
// was lost, and about every job that may be charged (settle-charges.ts), and prints what it found.
// `resume` runs the same check first.
import { Command, InvalidArgumentError } from 'commander';
import type { ReconcileReport } from '../core/reconcile/reconciler';
import type { MissingFolder } from './data-folder';
import { terminalText } from './terminal-text';
import { redactKeys } from '../core/fal/redact';
import { cliFalKey, cliOtherKeys } from './keys';
import { unsettledAdvice, type ChargeOutcome } from './charge-advice';

export interface ReconcileOptions {
  dataDir?: string;
  startFresh?: boolean;
  falProxy?: string;
  settleMinutes?: number;
  /** Send again by itself what FAL has no record of (after the settle time). */
  resubmitUnreceived?: boolean;
}

export interface ReconcileOutcome {
  report: ReconcileReport;
  jobs: {
    id: string;
    input: string;
    outcome: 'adopted' | 'not_received' | 'resubmitted' | 'waiting';
    message: string;
    /** Not received, and its photo with its settings was made again as another job: never resent by itself. */
    madeAgain?: boolean;
  }[];
  /** Jobs that may be charged (given up on FAL's errors, a run FAL failed, canceled after FAL began it): what FAL's request history showed. */
  charges: ChargeOutcome[];
}

/**
 * The settle time: --settle-minutes, else the default. Test hook: IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS
 * (fault tests need seconds, which the user-facing flag does not offer on purpose).
 */
export function settleMsFor(settleMinutes: number | undefined, defaultMs: number, env: NodeJS.ProcessEnv = process.env): number {
  if (settleMinutes !== undefined) return settleMinutes * 60_000;
  const testMs = Number(env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS);
  return Number.isFinite(testMs) && testMs >= 0 && env.IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS?.trim() ? testMs : defaultMs;
}

/**
 * One reconciliation pass over the data folder (every uncertain job, due or not). `missing`: `resume`
 * makes a missing folder (it goes on to add work), `reconcile` alone only reads (see readDataDir).
 */
export async function reconcileDataDir(opts: ReconcileOptions, missing: MissingFolder = 'make'): Promise<ReconcileOutcome> {
  // Loaded here, not at the CLI's start: every other command (and --help) starts without them.
  const [{ openDatabase }, { createPlatformClient }, { JobStore }, { createReconciler, DEFAULT_RECONCILE_CONFIG }, { cliDataDir, readDataDir, rememberCliDataDir }, { settleCharges }] = await Promise.all([
    import('../core/db/open'),
    import('../core/fal/platform-client'),
    import('../core/queue/store'),
    import('../core/reconcile/reconciler'),
    import('./data-folder'),
    import('./settle-charges'),
  ]);
  const dataDir = missing === 'make' ? cliDataDir(opts) : readDataDir(opts);
  // No library yet: nothing to reconcile, found in an empty database in memory.
  const db = openDatabase(dataDir ?? ':memory:');
  if (dataDir !== null) rememberCliDataDir(dataDir);
  const key = process.env.FAL_KEY?.trim() || null;
  const jobs = new JobStore(db, (text) => redactKeys(text, [key, ...cliOtherKeys()]));
  try {
    const proxyUrl = opts.falProxy ?? process.env.IMAGE2MODEL_FAL_PROXY ?? null;
    const reconciler = createReconciler({
      jobs,
      now: Date.now,
      platform: () => (key ? createPlatformClient({ key, otherKeys: cliOtherKeys, proxyUrl }) : null),
      config: () => ({
        ...DEFAULT_RECONCILE_CONFIG,
        settleMs: settleMsFor(opts.settleMinutes, DEFAULT_RECONCILE_CONFIG.settleMs),
        autoResubmit: opts.resubmitUnreceived === true,
      }),
      onJob: () => undefined,
      wake: () => undefined,
      logger: { info: () => undefined, warn: () => undefined },
    });
    const report = await reconciler.runOnce({ force: true });
    const describe = (id: string, outcome: ReconcileOutcome['jobs'][number]['outcome']) => {
      const row = jobs.get(id);
      const madeAgain = outcome === 'not_received' && row !== null && jobs.madeAgainElsewhere(row);
      return { id, input: row?.inputName ?? id, outcome, message: row?.message ?? '', ...(madeAgain && { madeAgain }) };
    };
    const resubmitted = new Set(report.resubmitted);
    // Possible charges too, due or not, as the app settles them in the background.
    const charges = dataDir === null ? [] : await settleCharges({ db }, { falProxy: opts.falProxy, force: true });
    return {
      report,
      charges,
      jobs: [
        ...report.adopted.map((a) => describe(a.jobId, 'adopted')),
        ...report.absent.filter((a) => !resubmitted.has(a.jobId)).map((a) => describe(a.jobId, 'not_received')),
        ...report.resubmitted.map((id) => describe(id, 'resubmitted')),
        ...report.waiting.map((w) => describe(w.jobId, 'waiting')),
      ],
    };
  } finally {
    jobs.close();
    db.close();
  }
}

const LABEL = { adopted: 'adopted', not_received: 'not sent', resubmitted: 'resending', waiting: 'waiting' } as const;
const CHARGE_LABEL = { charged: 'charged', not_charged: 'not charged', unsettled: 'may be charged' } as const;

export function printReconcile(outcome: ReconcileOutcome, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ type: 'reconcile', ...outcome }) + '\n');
    return;
  }
  // Earlier sends of jobs sent again or removed, settled by this pass: what was found, in plain words.
  for (const past of [...outcome.report.pastFound, ...outcome.report.pastAbsent]) process.stdout.write(`${terminalText(past.message)}\n`);
  // Possible charges FAL's request history settled (or could not yet), with what the job says now.
  for (const charge of outcome.charges) {
    process.stdout.write(`${CHARGE_LABEL[charge.outcome].padEnd(11)}  ${terminalText(charge.input)}\n             ${terminalText(charge.message)}\n`);
  }
  const unsettled = unsettledAdvice(outcome.charges, cliFalKey() !== null);
  if (unsettled) process.stdout.write(`${unsettled}\n`);
  if (outcome.jobs.length === 0) {
    process.stdout.write('No job is waiting for an answer from FAL.\n');
    return;
  }
  for (const job of outcome.jobs) process.stdout.write(`${LABEL[job.outcome].padEnd(9)}  ${terminalText(job.input)}\n           ${terminalText(job.message)}\n`);
  if (outcome.jobs.some((j) => j.outcome === 'adopted' || j.outcome === 'resubmitted')) {
    process.stdout.write('Run `image2model resume` to finish the adopted jobs (nothing is paid twice).\n');
  }
  // --resubmit-unreceived never sends one made again as another job (it would pay for a second model).
  const notSent = outcome.jobs.filter((j) => j.outcome === 'not_received');
  const madeAgain = notSent.filter((j) => j.madeAgain).length;
  if (madeAgain < notSent.length) {
    const which = madeAgain > 0 ? 'the jobs marked "not sent" that were not made again' : 'the jobs marked "not sent"';
    process.stdout.write(`FAL never received ${which}: \`image2model resume --resubmit-unreceived\` sends them (once).\n`);
  }
  if (madeAgain > 0) {
    process.stdout.write(
      `${madeAgain === 1 ? 'One job marked "not sent" was' : `${madeAgain} jobs marked "not sent" were`} made again as another job: \`resume --resubmit-unreceived\` does not send ${madeAgain === 1 ? 'it' : 'them'} (that would pay for a second model).\n`,
    );
  }
}

export const parseSettleMinutes = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1440) throw new InvalidArgumentError('must be a whole number of minutes from 1 to 1440.');
  return n;
};

export function registerReconcileCommand(program: Command, out: { exitCode: number }): void {
  program
    .command('reconcile')
    .description("ask FAL's records about jobs whose submit answer was lost or that may be charged, and settle them (no second charge)")
    .option('--data-dir <dir>', 'data folder (default: the app\'s, or IMAGE2MODEL_DATA_DIR)')
    .option('--start-fresh', 'start an empty library where a data folder that held one is missing', false)
    .option('--fal-proxy <url>', 'send FAL calls through this proxy URL (or IMAGE2MODEL_FAL_PROXY)')
    .option('--settle-minutes <n>', 'after this long, "FAL has no record" counts as never received (default 10)', parseSettleMinutes)
    .option('--json', 'print one JSON object', false)
    .action(async (opts: ReconcileOptions & { json: boolean }) => {
      const outcome = await reconcileDataDir(opts, 'read');
      printReconcile(outcome, opts.json);
      out.exitCode = outcome.report.waiting.length > 0 ? 1 : 0;
    });
}
