// The command-line front end: the same engine, library and data folder as the desktop app.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { PRESETS, type Preset } from '../shared/domain';
import { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID, getModel, listModels } from '../core/models/catalog';
import { defaultGenerator } from '../shared/default-generator';
import { describeModel } from '../core/models/summary';
import { APP_VERSION } from '../core/version';
import type { CommonOptions } from './open-engine';
import { redactKeys } from '../core/fal/redact';
import { hasUnusualCharacter, KEY_CHARACTER_MESSAGE } from '../core/keys/format';
import { registerStatsCommand } from './stats';
import { parseSettleMinutes, printReconcile, reconcileDataDir, registerReconcileCommand } from './reconcile';
import { priceLabel, withFalPrices } from './model-prices';
import { registerExportCommand } from './export';
import { checkOutputFolder } from './out-dir';
import { planInputSet, type SetMember } from './input-set-args';
import { TRIPO_MULTIVIEW_ID } from '../core/models/tripo';
import type { ModelDefinition } from '../core/models/types';
import type { Engine } from '../core/engine';
import { terminalText } from './terminal-text';
import { localStamp } from '../shared/local-time';
import { shellWord } from './shell-word';
import { cliFalKey, cliOtherKeys } from './keys';
import { errorMessage } from '../core/util/errors';
import { UsageError } from './usage-error';

/** Exit codes: 0 every input became a model, 1 something did not, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_INCOMPLETE = 1;
export const EXIT_USAGE = 2;

const parseConcurrency = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new InvalidArgumentError('must be a whole number from 1 to 8.');
  return n;
};

/** `--option face_limit=20000 --option pbr=false`: values are parsed as JSON when they look like it. */
const collectOption = (value: string, previous: Record<string, unknown>) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}".`);
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // A plain string such as HD or original_image.
  }
  return { ...previous, [key]: parsed };
};

function commonOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data folder (default: the app\'s, or IMAGE2MODEL_DATA_DIR)')
    .option('--start-fresh', 'start an empty library where a data folder that held one is missing', false)
    .option('--fal-proxy <url>', 'send FAL calls through this proxy URL (or IMAGE2MODEL_FAL_PROXY)')
    .option('--json', 'print one JSON object per line', false);
}

export function buildProgram(out: { exitCode: number }): Command {
  const program = new Command('image2model')
    .description('Turn photos and drawings into textured 3D models (GLB).')
    .version(APP_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  commonOptions(
    program
      .command('convert')
      .description('convert images (or folders of images) into GLB models')
      .argument('[image...]', 'image files or folders (with --together: the images of one model, in order)')
      .option('--out <dir>', 'folder to write the GLB files to', '.')
      .option('--model <endpoint>', `model to use (default ${DEFAULT_MODEL_ID}; ${OFFLINE_MODEL_ID} without a FAL key)`)
      .addOption(new Option('--preset <name>', 'quality preset').choices([...PRESETS]).default('standard'))
      .option('--option <key=value>', 'a model option, repeatable (see `image2model models`)', collectOption, {})
      .option('--concurrency <n>', 'jobs at once (1-8)', parseConcurrency, 2)
      .option('--force', 'run again even when an identical image already has a model', false)
      .option('--views <view=image,...>', `one model from named views, e.g. front=a.jpg,left=b.jpg (default model ${TRIPO_MULTIVIEW_ID})`)
      .option('--together', 'one model from all the images given, in order (e.g. --model fal-ai/hyper3d/rodin)', false),
  ).action(async (images: string[], opts: CommonOptions & { out: string; model?: string; preset: Preset; option: Record<string, unknown>; concurrency: number; force: boolean } & SetFlags) => {
    const hasKey = Boolean(process.env.FAL_KEY?.trim());
    const model = opts.model ?? (opts.views !== undefined ? TRIPO_MULTIVIEW_ID : defaultGenerator({ hasKey }));
    const definition = getModel(model);
    if (!definition) throw new UsageError(`Unknown model "${model}". Run \`image2model models\` to see the list.`);
    const set = await inputSetOf(images, opts, definition);
    if (!set && images.length === 0) throw new UsageError('Give the images (or folders) to convert, or --views view=image,...');
    if (definition.provider === 'fal' && !hasKey) throw new UsageError(needsKeyMessage(definition, set));
    if (definition.provider === 'fal' && hasUnusualCharacter(process.env.FAL_KEY?.trim() ?? '')) throw new UsageError(`FAL_KEY: ${KEY_CHARACTER_MESSAGE}`);
    if (!hasKey && !opts.model && !opts.json) process.stderr.write(`No FAL_KEY set: using ${getModel(OFFLINE_MODEL_ID)?.label ?? 'the offline generator'}.\n`);
    await checkOut(opts.out);
    const { runJobs } = await import('./run');
    out.exitCode = await runJobs({ kind: 'convert', images, model, ...opts, set });
  });

  commonOptions(
    program
      .command('resume')
      .description('finish the jobs an interrupted run left behind')
      .option('--out <dir>', 'folder for finished GLB files whose job did not name one (default: the current folder)')
      .option('--settle-minutes <n>', 'after this long, "FAL has no record" of a lost submit counts as never received (default 10)', parseSettleMinutes)
      .option('--resubmit-unreceived', 'send again the jobs FAL has no record of (after the settle time)', false)
      .option('--download-again', 'also fetch again, free, the results FAL still holds for failed jobs (the app\'s Download again)', false),
  ).action(async (opts: CommonOptions & { out?: string; settleMinutes?: number; resubmitUnreceived: boolean; downloadAgain: boolean }) => {
    if (opts.out !== undefined) await checkOut(opts.out);
    // FAL's records first: jobs it received are adopted and finished below, never sent twice.
    const settled = await reconcileDataDir(opts);
    // Also when it settled only earlier sends of jobs sent again or removed: the user learns what FAL had.
    if (settled.jobs.length > 0 || settled.charges.length > 0 || settled.report.pastFound.length > 0 || settled.report.pastAbsent.length > 0) printReconcile(settled, opts.json);
    const { runJobs } = await import('./run');
    out.exitCode = await runJobs({ kind: 'resume', ...opts });
  });

  commonOptions(program.command('list').description('list the models in the library')).action(async (opts: CommonOptions) => {
    const [{ openEngine }, { readDataDir }] = await Promise.all([import('./open-engine'), import('./data-folder')]);
    const dataDir = readDataDir(opts);
    // No library yet (the app's folder not made): listed as the empty library it is.
    const engine = dataDir === null ? null : openEngine(opts, dataDir);
    try {
      const listed = engine ? printLibrary(engine, opts.json) : 0;
      if (!opts.json && listed === 0) process.stdout.write('The library is empty. Try: image2model convert photo.jpg\n');
    } finally {
      await engine?.stop();
    }
  });

  registerExportCommand(program, { out, commonOptions, usageError: (message) => new UsageError(message) });

  program
    .command('models')
    .description('list the models you can use, with presets and prices')
    .option('--json', 'print JSON', false)
    .option('--data-dir <dir>', 'data folder holding the cached FAL prices (default: the app\'s, or IMAGE2MODEL_DATA_DIR)')
    .option('--fal-proxy <url>', 'send FAL calls through this proxy URL (or IMAGE2MODEL_FAL_PROXY)')
    .action(async (opts: { json: boolean; dataDir?: string; falProxy?: string }) => {
      for (const summary of await withFalPrices(listModels().map(describeModel), opts)) {
        if (opts.json) {
          process.stdout.write(JSON.stringify(summary) + '\n');
          continue;
        }
        const prices = PRESETS.map((p) => `${p} $${summary.priceByPreset[p].toFixed(2)}`).join(', ');
        process.stdout.write(`${summary.id}\n  ${summary.label} - ${summary.description}\n  presets: ${prices} (${priceLabel(summary)})\n`);
        if (summary.options.length) process.stdout.write(`  options: ${summary.options.map((o) => o.key).join(', ')}\n`);
      }
    });

  registerStatsCommand(program);
  registerReconcileCommand(program, out);

  return program;
}

interface SetFlags {
  views?: string;
  together: boolean;
}

/** The set `--views` or `--together` asks for (null without them); every member must be a file. */
async function inputSetOf(images: string[], flags: SetFlags, model: ModelDefinition): Promise<SetMember[] | null> {
  if (flags.views === undefined && !flags.together) return null;
  const plan = planInputSet({ views: flags.views, together: flags.together, images, model, catalog: listModels() });
  if (!plan.ok) throw new UsageError(plan.message);
  for (const input of plan.inputs) {
    const info = await stat(input.path).catch(() => null);
    if (!info) throw new UsageError(`${input.path} was not found.`);
    if (!info.isFile()) throw new UsageError(`${input.path} is not an image file; the images of one model are given one by one.`);
  }
  return plan.inputs;
}

/**
 * A FAL model without FAL_KEY: what to do instead. The offline generator takes one image, so for a set
 * it is offered as what it can do (a model per photo) with the command to type, not as `--model` alone,
 * which would only be refused next.
 */
function needsKeyMessage(definition: ModelDefinition, set: SetMember[] | null): string {
  const needs = `${definition.label} runs on FAL and needs a key: set FAL_KEY`;
  if (!set) return `${needs}, or use --model ${OFFLINE_MODEL_ID} (works offline).`;
  const photos = set.map((member) => shellWord(member.path)).join(' ');
  return `${needs} (every model that makes one model from several photos runs on FAL). Without a key, ${getModel(OFFLINE_MODEL_ID)?.label ?? 'the offline generator'} makes one model from each photo: image2model convert ${photos} --model ${OFFLINE_MODEL_ID}`;
}

/** Prints every model of the library; returns how many. */
function printLibrary(engine: Engine, json: boolean): number {
  // Page by page: every model, however large the library (one page of 10,000 cut the rest off silently).
  let listed = 0;
  for (let page = listPage(engine, 0); page.length > 0; page = listPage(engine, listed)) {
    for (const model of page) {
      if (json) process.stdout.write(JSON.stringify({ type: 'model', ...model, file: engine.library.filePath(model.id) }) + '\n');
      else process.stdout.write(`${model.id}  ${localStamp(model.createdAt)}  ${String(model.stats.triangles).padStart(8)} tris  ${terminalText(model.name)}\n`);
    }
    listed += page.length;
  }
  return listed;
}

const LIST_PAGE = 1000;
/** One page of the library, newest first (created_at, then rowid: a stable order to page through). */
const listPage = (engine: Engine, offset: number) => engine.library.list({ offset, limit: LIST_PAGE, sort: 'newest' }).items;

/** --out is checked at start (a file there: exit 2) and made by the run only once a model is written there. */
const checkOut = (dir: string) => checkOutputFolder(dir, (message) => new UsageError(message));

let outputGuarded = false;

/**
 * A reader that went away (`image2model list | head -1`) or a terminal that was closed (EIO; SIGHUP
 * keeps the run going to leave its jobs followable) ends the output, not the run: the rest is dropped
 * instead of a crash with a stack trace - and jobs in flight (paid ones) finish as they would.
 */
function dropOutputOnceReaderGone(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    let gone = false;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'EIO' || (gone && error.code === 'ERR_STREAM_DESTROYED')) {
        gone = true;
        return;
      }
      throw error;
    });
  }
}

export async function runCli(argv: string[]): Promise<number> {
  dropOutputOnceReaderGone();
  const out = { exitCode: EXIT_OK };
  const program = buildProgram(out);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return out.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${terminalText(error.message)}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`${terminalText(redactKeys(errorMessage(error), [cliFalKey(), ...cliOtherKeys()]))}\n`);
    return EXIT_INCOMPLETE;
  }
}
