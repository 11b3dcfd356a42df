// `image2model export`: library models through an export preset (blender, game, web, ar, print, or a
// saved one) into a folder, every knob as a flag; `export <model-id> <file>` still writes one file;
// `export --delete-preset <name>` deletes a preset of your own (as the studio's Delete this preset).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { extname, resolve } from 'node:path';
import { resolveDataDir } from '../core/paths';
import {
  ExportRecipeSchema,
  LengthUnitSchema,
  OutputFormatSchema,
  realSizeProblem,
  type ExportPlan,
  type ExportRecipe,
  type ExportRecipeInput,
  type LengthUnit,
  type OutputFormat,
} from '../shared/export-recipe';
import type { CommonOptions } from './open-engine';
import { checkOutputFolder, ensureOutputFolder } from './out-dir';
import { givenOptions } from './given-options';
import { shellWord } from './shell-word';
import { terminalText } from './terminal-text';
import { createCliLogger } from './logger';
import { isLowLevelError, UNREADABLE_MODEL_MESSAGE } from '../core/util/low-level-error';
import type { ModelSource } from '../core/export/service';

interface ExportFlags extends CommonOptions {
  preset?: string;
  out?: string;
  format?: OutputFormat[];
  up?: 'y' | 'z';
  unit?: LengthUnit;
  height?: { value: number; unit: LengthUnit };
  size?: { value: number; unit: LengthUnit };
  pivot?: 'original' | 'center' | 'base';
  triangles?: number;
  ratio?: number;
  lods?: number[];
  weld?: boolean;
  textureSize?: number;
  textureFormat?: 'original' | 'png' | 'jpeg' | 'webp';
  compression?: 'none' | 'meshopt' | 'draco';
  budget?: number;
  name?: string;
  plan: boolean;
  savePreset?: string;
  deletePreset?: string;
}

export interface ExportCommandContext {
  out: { exitCode: number };
  commonOptions(command: Command): Command;
  /** Makes the error that main turns into exit code 2. */
  usageError(message: string): Error;
}

const LEGACY_FORMATS = ['glb', 'obj', 'stl'] as const;

/** The library when there is none yet: no model has any id. */
const NO_MODELS: ModelSource = { get: () => null, filePath: () => null };

const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number.`);
  return n;
};
const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number.');
  return n;
};
/** `30cm`, `100mm`, `1.8m`, `12in`; a bare number is in metres. */
const length = (value: string) => {
  const match = /^(\d+(?:\.\d+)?)\s*(mm|cm|m|in)?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new InvalidArgumentError('expected a length such as 30cm, 100mm or 1.8m.');
  const size = { value: Number(match[1]), unit: LengthUnitSchema.parse(match[2] ?? 'm') };
  const problem = realSizeProblem(size);
  if (problem) throw new InvalidArgumentError(problem);
  return size;
};
const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
const formats = (value: string) =>
  list(value).map((f) => {
    const parsed = OutputFormatSchema.safeParse(f.toLowerCase());
    if (!parsed.success) throw new InvalidArgumentError(`unknown format "${f}" (glb, obj, stl, 3mf, usdz).`);
    return parsed.data;
  });
const fractions = (value: string) =>
  list(value).map((f) => {
    // 0.5 and 50% and 50 all mean half.
    const raw = Number(f.replace(/%$/, ''));
    const n = f.endsWith('%') || raw > 1 ? raw / 100 : raw;
    if (!(n > 0 && n <= 1)) throw new InvalidArgumentError(`"${f}" is not a fraction between 0 and 1 (or a percentage).`);
    return n;
  });

/** The preset's recipe with the flags given on top. */
export function recipeFromFlags(base: ExportRecipe, flags: ExportFlags): ExportRecipe {
  const next: ExportRecipeInput = { ...base, textures: { ...base.textures } };
  if (flags.format) next.formats = flags.format;
  if (flags.up) next.upAxis = flags.up;
  if (flags.unit) next.unit = flags.unit;
  if (flags.height) next.realSize = { dimension: 'height', ...flags.height };
  if (flags.size) next.realSize = { dimension: 'longest', ...flags.size };
  if (flags.pivot) next.pivot = flags.pivot;
  if (flags.triangles) next.simplify = { mode: 'triangles', triangles: flags.triangles };
  if (flags.ratio) next.simplify = { mode: 'ratio', ratio: flags.ratio };
  if (flags.lods) next.lods = flags.lods;
  if (flags.weld !== undefined) next.weld = flags.weld;
  if (flags.textureSize) next.textures = { ...next.textures!, maxSize: flags.textureSize };
  if (flags.textureFormat) next.textures = { ...next.textures!, format: flags.textureFormat };
  if (flags.compression) next.compression = flags.compression;
  if (flags.budget) next.sizeBudgetBytes = Math.round(flags.budget * 1024 * 1024);
  if (flags.name) next.fileName = flags.name;
  return ExportRecipeSchema.parse(next);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function describePlan(name: string, plan: ExportPlan): string {
  const lines = [
    `${name}: ${plan.source.triangles.toLocaleString('en')} -> ${plan.result.triangles.toLocaleString('en')} triangles, ` +
      `textures ${plan.result.textures.map((t) => `${t.width}x${t.height}`).join(', ') || 'none'}, ` +
      `${mb(plan.source.bytes)} -> ${mb(plan.totalBytes)}`,
  ];
  // A GLB level under 100 % (--lods 10, or 50,25) is not the count above: each says its own.
  for (const file of plan.files) {
    if (file.format === 'glb' && file.triangles !== null && file.triangles !== plan.result.triangles) {
      lines.push(`  ${terminalText(file.name)}: ${file.triangles.toLocaleString('en')} triangles, ${mb(file.bytes)}`);
    }
  }
  if (plan.budget) lines.push(`  size budget ${mb(plan.budget.bytes)}: ${plan.budget.withinBudget ? 'within' : 'OVER'}`);
  if (plan.print) {
    const p = plan.print;
    lines.push(
      `  print: ${p.closed ? 'closed' : `not closed (${p.holes} hole${p.holes === 1 ? '' : 's'})`}, ` +
        `${p.size.map((s) => s.toFixed(1)).join(' x ')} ${p.unit}, volume ${(p.volume / 1000).toFixed(1)} cm3 (in ${p.unit}^3: ${p.volume.toFixed(0)})`,
    );
  }
  for (const warning of plan.warnings) lines.push(`  note: ${warning}`);
  return lines.join('\n');
}

/** --delete-preset given with export flags: it only deletes, so say which flags and how to do both. */
function deleteAloneMessage(name: string, others: readonly string[]): string {
  return (
    `--delete-preset only deletes a preset: it cannot be combined with ${others.join(', ')}. ` +
    `Delete it on its own (image2model export --delete-preset ${shellWord(name)}), then export or save a preset in a second command.`
  );
}

/** `--delete-preset`: a saved preset goes (the built-in ones stay); nothing is exported. */
async function deletePreset(ctx: ExportCommandContext, id: string, flags: ExportFlags) {
  const [{ createPresetStore }, { readDataDir }] = await Promise.all([import('../core/export/preset-store'), import('./data-folder')]);
  // No library yet: the store only reads (built-in presets, no saved one), so nothing is written there.
  const presets = createPresetStore(readDataDir(flags) ?? resolveDataDir(flags.dataDir));
  const preset = presets.get(id);
  const saved = presets.list().filter((p) => !p.builtIn);
  if (preset?.builtIn) throw ctx.usageError(`"${id}" is a built-in preset and cannot be deleted; only presets you saved can.`);
  if (!preset) {
    // A presets file that could not be read (or an entry of it) is said, as the studio does: its presets are not "none".
    const problem = presets.problem();
    const names = saved.length ? `Your presets: ${saved.map((p) => `${p.id} ("${p.label}")`).join(', ')}.` : problem ? '' : 'You have no saved presets.';
    throw ctx.usageError([`No saved preset "${id}".`, names, problem].filter(Boolean).join(' '));
  }
  await presets.remove(preset.id);
  if (flags.json) process.stdout.write(JSON.stringify({ type: 'preset-deleted', id: preset.id, label: preset.label }) + '\n');
  else process.stdout.write(`Deleted preset "${terminalText(preset.label)}" (${preset.id})\n`);
}

async function legacyExport(ctx: ExportCommandContext, id: string, file: string, opts: CommonOptions) {
  const format = extname(file).slice(1).toLowerCase() || 'glb';
  if (!(LEGACY_FORMATS as readonly string[]).includes(format)) throw ctx.usageError(`Cannot export to .${format}: use .glb, .obj or .stl.`);
  const [{ openEngine }, { exportModel }, { readDataDir }] = await Promise.all([import('./open-engine'), import('../core/library/export-model'), import('./data-folder')]);
  const dataDir = readDataDir(opts);
  const notFound = () => {
    process.stderr.write(`No model with id ${id}. Run \`image2model list\` to see the library.\n`);
    ctx.out.exitCode = 1;
  };
  // No library yet: no model has that id.
  if (dataDir === null) return notFound();
  const engine = openEngine(opts, dataDir);
  try {
    const src = engine.library.filePath(id);
    const model = engine.library.get(id);
    if (!src || !model) return notFound();
    const written = await exportModel(src, resolve(file), format as (typeof LEGACY_FORMATS)[number], model).catch((error: unknown) => {
      // Told in plain words (see util/low-level-error.ts); what failed underneath goes to the log.
      if (error instanceof Error && error.cause !== undefined) createCliLogger(resolveDataDir(opts.dataDir)).warn(`Export of ${id} failed`, error.cause);
      throw error;
    });
    if (opts.json) process.stdout.write(JSON.stringify({ type: 'export', id, files: written }) + '\n');
    else process.stdout.write(`Exported to ${terminalText(written.join(', '))}\n`);
  } finally {
    await engine.stop();
  }
}

export function registerExportCommand(program: Command, ctx: ExportCommandContext): void {
  const command = program
    .command('export')
    .description('export library models with a preset (blender, game, web, ar, print or a saved one) into a folder; or `export <model-id> <file>`; or `export --delete-preset <name>`')
    .argument('[model-id...]', 'model ids (see `image2model list`), or one id and a .glb/.obj/.stl file')
    .option('--preset <name>', 'blender, game, web, ar, print, or a preset saved in the app')
    .option('--out <dir>', 'folder to write to (default: the current folder)')
    .option('--format <list>', 'glb,obj,stl,3mf,usdz (comma-separated)', formats)
    .addOption(new Option('--up <axis>', 'up axis').choices(['y', 'z']))
    .addOption(new Option('--unit <unit>', 'unit of STL, 3MF, OBJ and USDZ numbers').choices([...LengthUnitSchema.options]))
    .option('--height <length>', 'real height, e.g. 30cm, 100mm, 1.8m', length)
    .option('--size <length>', 'real length of the longest side', length)
    .addOption(new Option('--pivot <where>', 'origin at').choices(['original', 'center', 'base']))
    .option('--triangles <n>', 'simplify to this many triangles', wholeNumber)
    .option('--ratio <r>', 'simplify to this fraction of the triangles (0-1)', positive('--ratio'))
    .option('--lods <list>', 'levels of detail as fractions or percentages, e.g. 100,50,25,10%', fractions)
    .option('--weld', 'merge identical vertices first')
    .option('--no-weld', 'do not merge vertices')
    .option('--texture-size <px>', 'largest texture edge', wholeNumber)
    .addOption(new Option('--texture-format <format>', 'texture format').choices(['original', 'png', 'jpeg', 'webp']))
    .addOption(new Option('--compression <kind>', 'geometry compression').choices(['none', 'meshopt', 'draco']))
    .option('--budget <MB>', 'size budget for the GLB, in MB', positive('--budget'))
    .option('--name <pattern>', 'file name: {name}, {id}, {preset}, {date}')
    .option('--plan', 'show what would be written (triangles, textures, sizes, print report) and write nothing', false)
    .option('--save-preset <label>', 'also save the resulting recipe as a preset of your own')
    .option('--delete-preset <name>', 'delete a preset you saved (the name --preset takes) and export nothing');
  ctx.commonOptions(command).action(async (ids: string[], flags: ExportFlags) => {
    if (flags.deletePreset !== undefined) {
      if (ids.length > 0) throw ctx.usageError('--delete-preset exports nothing: give it no model ids.');
      // --save-preset, --preset, --plan... were ignored in silence: the user believed they had saved or planned something.
      const others = givenOptions(command, ['--delete-preset', '--data-dir', '--fal-proxy', '--json']);
      if (others.length > 0) throw ctx.usageError(deleteAloneMessage(flags.deletePreset, others));
      await deletePreset(ctx, flags.deletePreset, flags);
      return;
    }
    if (ids.length === 0) throw ctx.usageError('Name the models to export (see `image2model list`), or a preset to delete with --delete-preset.');
    const hasPresetFlags = flags.preset !== undefined || flags.out !== undefined || flags.plan;
    if (!hasPresetFlags && ids.length === 2 && (LEGACY_FORMATS as readonly string[]).includes(extname(ids[1]!).slice(1).toLowerCase())) {
      await legacyExport(ctx, ids[0]!, ids[1]!, flags);
      return;
    }
    const dataDir = resolveDataDir(flags.dataDir);
    const out = resolve(flags.out ?? '.');
    // Checked now, made only once a model is about to be written: a failed export leaves no empty folder.
    if (!flags.plan) await checkOutputFolder(out, (message) => ctx.usageError(message));
    let outReady = false;
    /** The usage error making the folder ended with: it ends the command (exit 2), not just one model. */
    let outFailure: unknown = null;
    const readyOut = async () => {
      if (outReady) return;
      await ensureOutputFolder(out, flags.json === true, (message) => (outFailure = ctx.usageError(message)) as Error);
      outReady = true;
    };
    const [{ openEngine }, { createExportService }, { readDataDir }] = await Promise.all([import('./open-engine'), import('../core/export/service'), import('./data-folder')]);
    // No library yet (the app's folder not made): no model has these ids; the presets are the built-in ones.
    const found = readDataDir(flags);
    const engine = found === null ? null : openEngine(flags, found);
    try {
      const exporter = createExportService(engine?.library ?? NO_MODELS, dataDir);
      const presetId = flags.preset ?? 'blender';
      const preset = exporter.presets.get(presetId);
      if (!preset) {
        const names = exporter.presets.list().map((p) => p.id).join(', ');
        throw ctx.usageError(`Unknown preset "${presetId}". Presets: ${names}.`);
      }
      const recipe = recipeFromFlags(preset.recipe, flags);
      if (flags.savePreset && !engine) process.stderr.write('The preset was not saved: there is no library to keep it in yet.\n');
      else if (flags.savePreset) {
        const saved = await exporter.presets.save({ label: flags.savePreset, description: `Based on ${preset.label}`, recipe });
        if (!flags.json) process.stdout.write(`Saved preset "${terminalText(saved.label)}" as ${saved.id}\n`);
      }
      let failed = 0;
      for (const id of ids) {
        const name = engine?.library.get(id)?.name ?? id;
        try {
          const { plan } = await exporter.plan(id, recipe, preset.id);
          if (!flags.plan) await readyOut();
          const files = flags.plan ? [] : (await exporter.run(id, recipe, { presetId: preset.id, dir: out })).files;
          if (flags.json) process.stdout.write(JSON.stringify({ type: 'export', id, name, preset: preset.id, files, plan }) + '\n');
          else process.stdout.write(`${describePlan(terminalText(name), plan)}\n${files.map((f) => `  wrote ${terminalText(f)}`).join('\n')}${files.length ? '\n' : ''}`);
        } catch (error) {
          if (error === outFailure) throw error;
          failed++;
          // A converter's own words ("memory access out of bounds") go to the log; the user reads what to do.
          const lowLevel = isLowLevelError(error);
          if (lowLevel) createCliLogger(dataDir).warn(`Export of ${name} (${id}) failed`, error);
          const message = lowLevel ? UNREADABLE_MODEL_MESSAGE : (error as Error).message;
          if (flags.json) process.stdout.write(JSON.stringify({ type: 'error', id, message }) + '\n');
          else process.stderr.write(`${terminalText(`${name}: ${message}`)}\n`);
        }
      }
      if (flags.json) process.stdout.write(JSON.stringify({ type: 'summary', succeeded: ids.length - failed, failed }) + '\n');
      if (failed > 0) ctx.out.exitCode = 1;
    } finally {
      await engine?.stop();
    }
  });
}
