// The user's own export presets: a JSON file in the data folder, shared by the app and the CLI and
// checked with zod on every read (a file that cannot be parsed is reported and not used; a preset that
// fails its check is left out and named).
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ExportPresetSchema, MAX_SAVED_PRESETS, PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS, PresetLabelSchema, type ExportPreset, type ExportRecipeInput } from '../../shared/export-recipe';
import { AppError } from '../../shared/result';
import { cutName } from '../../shared/text-cut';
import { writeFileAtomic } from '../library/files';
import { PRESETS_FILE } from '../paths';
import { errorMessage, isRecord } from '../util/errors';
import { BUILT_IN_IDS, BUILT_IN_PRESETS } from './presets';

// Each preset is checked on its own: one the app can no longer use (a real size beyond the range
// taken since, a hand-edited typo) leaves the others usable and is named in problem().
const FileSchema = z.object({ version: z.literal(1), presets: z.array(z.unknown()) });

export { PRESETS_FILE };
/** An unreadable presets file is kept under this name (plus the time) when a save replaces it. */
const KEPT_PREFIX = 'export-presets.unreadable-';

export interface PresetStore {
  /** Built-in presets first, then the saved ones. */
  list(): ExportPreset[];
  get(id: string): ExportPreset | null;
  save(preset: { id?: string; label: string; description?: string; recipe: ExportRecipeInput }): Promise<ExportPreset>;
  remove(id: string): Promise<boolean>;
  /** A problem with the saved file (it is then ignored until a save replaces it; the unreadable file is kept beside it). */
  problem(): string | null;
}

/**
 * A failure writing the presets file, in the user's words: what was not done, why, and that nothing
 * changed (the file is replaced whole or not at all). Not "Export failed": nothing was exported.
 */
function presetWriteError(done: 'saved' | 'deleted', label: string, path: string, error: unknown): AppError {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const folder = dirname(path);
  const [why, first] =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? ['the disk is full', 'Free some disk space, then']
      : code === 'EACCES' || code === 'EPERM'
        ? [`the app is not allowed to write in its data folder (${folder})`, 'Check the permissions of that folder, then']
        : code === 'EROFS'
          ? [`the app's data folder (${folder}) is on a read-only disk`, 'Make that disk writable, then']
          : [`${path} could not be written (${code || errorMessage(error)})`, "Check the disk and the app's data folder, then"];
  const name = cutName(label, PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS);
  return new AppError(
    'io_error',
    `The preset "${name}" could not be ${done}: ${why}. Your saved presets are as they were. ${first} ${done === 'saved' ? 'save' : 'delete'} it again.`,
    { cause: error },
  );
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'preset'
  );
}

/** How the problem names a preset it cannot use: its label, else its id, else its place in the file. */
function presetName(entry: unknown, index: number): string {
  const names = isRecord(entry) ? [entry.label, entry.id].map((v) => (typeof v === 'string' ? cutName(v, PRESET_LABEL_MAX, PRESET_LABEL_MAX_UNITS) : '')) : [];
  return names.find(Boolean) ?? `preset ${index + 1}`;
}

/**
 * Larger than any file of saved presets (MAX_SAVED_PRESETS at their longest are well under 1 MiB): one
 * beyond it is no presets file the app or a hand edit made, and is not read (the list is read on the
 * main thread, at every change the watch sees).
 */
const MAX_PRESETS_FILE_BYTES = 4 * 1024 * 1024;

/** The file's text; a file that is not one (a pipe, a device: opened without waiting) or is too large is not read. */
function readPresetsText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('it is not a file');
    if (stat.size > MAX_PRESETS_FILE_BYTES) throw new Error(`it is larger than ${MAX_PRESETS_FILE_BYTES / 1024 / 1024} MiB`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

const isRegularFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export function createPresetStore(dataDir: string): PresetStore {
  const path = join(dataDir, PRESETS_FILE);
  let problem: string | null = null;

  const keptNote = `Saving a preset keeps this file as ${KEPT_PREFIX}<time>.json beside it.`;
  const readSaved = (): ExportPreset[] => {
    if (!existsSync(path)) return [];
    let entries: unknown[];
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readPresetsText(path)));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
      entries = parsed.data.presets;
    } catch (error) {
      // Not a file (a pipe): saving a preset replaces it, there is nothing to keep.
      const note = isRegularFile(path) ? keptNote : 'Saving a preset replaces it.';
      problem = `The saved export presets (${path}) could not be read: ${(error as Error).message}. ${note}`;
      return [];
    }
    const presets: ExportPreset[] = [];
    const unusable: string[] = [];
    entries.forEach((entry, index) => {
      const parsed = ExportPresetSchema.safeParse(entry);
      if (parsed.success) presets.push(parsed.data);
      else unusable.push(`"${presetName(entry, index)}" (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    });
    problem = unusable.length > 0 ? `Saved export presets in ${path} could not be read and are left out: ${unusable.join(', ')}. ${keptNote}` : null;
    return presets.filter((p) => !BUILT_IN_IDS.includes(p.id)).map((p) => ({ ...p, builtIn: false }));
  };
  const writeSaved = async (presets: ExportPreset[]) => {
    // A file that could not be read holds the user's presets all the same (one typo in a hand edit):
    // it is kept beside the new one, never replaced unread.
    // (save and remove read the file just before: `problem` is about it as it is now.)
    if (problem && isRegularFile(path)) await copyFile(path, join(dataDir, `${KEPT_PREFIX}${Date.now()}.json`), constants.COPYFILE_EXCL);
    await writeFileAtomic(path, new TextEncoder().encode(JSON.stringify({ version: 1, presets }, null, 2) + '\n'));
  };

  return {
    list: () => [...BUILT_IN_PRESETS, ...readSaved()],
    get: (id) => [...BUILT_IN_PRESETS, ...readSaved()].find((p) => p.id === id) ?? null,
    async save({ id, label, description = '', recipe }) {
      // Checked here too: the CLI's --save-preset comes with no channel schema in front.
      const name = PresetLabelSchema.safeParse(label);
      if (!name.success) throw new AppError('invalid_input', name.error.issues[0]!.message);
      const saved = readSaved();
      // An id updates a preset that is there. One deleted meanwhile (the CLI's --delete-preset, another
      // window) is not brought back under its old id: the save is a new one, named from its label.
      const updating = id !== undefined && saved.some((p) => p.id === id);
      if (!updating && saved.length >= MAX_SAVED_PRESETS) {
        throw new AppError('conflict', `You have ${MAX_SAVED_PRESETS} saved export presets, the most the app keeps. Delete one you no longer use (pick it in the export studio, then Delete this preset; or, in the CLI, image2model export --delete-preset NAME) and save again.`);
      }
      let finalId = updating ? id : slug(label);
      if (BUILT_IN_IDS.includes(finalId)) finalId = `${finalId}-custom`;
      // A new preset never silently replaces another one of the same name; an explicit id updates.
      if (!updating) for (let n = 2; saved.some((p) => p.id === finalId); n++) finalId = `${slug(label)}-${n}`;
      const parsed = ExportPresetSchema.safeParse({ id: finalId, label, description, builtIn: false, recipe });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('invalid_input', `The preset "${name.data}" could not be saved: ${issue?.path.join('.') || 'preset'}: ${issue?.message ?? 'invalid'}.`);
      }
      const preset = parsed.data;
      await writeSaved([...saved.filter((p) => p.id !== finalId), preset]).catch((error: unknown) => {
        throw presetWriteError('saved', label, path, error);
      });
      return preset;
    },
    async remove(id) {
      const saved = readSaved();
      const removed = saved.find((p) => p.id === id);
      if (!removed) return false;
      await writeSaved(saved.filter((p) => p.id !== id)).catch((error: unknown) => {
        throw presetWriteError('deleted', removed.label, path, error);
      });
      return true;
    },
    problem: () => problem,
  };
}
