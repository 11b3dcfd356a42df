// The library's table: one row per model kept on disk. SQL plus the file clean-up a delete needs.
// Paths are stored relative to the data directory so the folder can move as a whole.
import type { Database, Statement } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import { writeTx } from '../db/write';
import { createHash } from 'node:crypto';
import { statSync, unlinkSync } from 'node:fs';
import { toAbsolutePath, toStoredPath } from '../paths';
import { currentName, currentSourceName } from '../../shared/current-names';
import type { JobInputInfo, LibraryModel, ModelStats, Preset } from '../../shared/domain';
import { AppError } from '../../shared/result';
import { cutName } from '../../shared/text-cut';
import { parseJobInputs } from '../queue/job-inputs-json';
import { listModels } from '../models/catalog';

export type LibrarySort = 'newest' | 'oldest' | 'name' | 'triangles';

export interface NewModel {
  id: string;
  name: string;
  createdAt: number;
  endpoint: string;
  preset: Preset;
  jobId: string | null;
  sha256: string;
  /** Absolute path of the stored GLB (inside the data directory). */
  filePath: string;
  stats: ModelStats;
  tags?: string[];
  previewPath: string | null;
  costUsd: number | null;
  sourceName: string | null;
  paramsKey: string | null;
  /** paramsKeyOf the original file's sha256 (a single image's job sourceSha256), or null. */
  sourceParamsKey?: string | null;
  /** A model made from several images: their names and views (JSON, see queue/job-inputs-json). */
  sourcesJson?: string | null;
}

export interface LibraryListQuery {
  query?: string;
  sort?: LibrarySort;
  offset: number;
  limit: number;
}

type Raw = Record<string, unknown>;

/** Identifies "this image with these settings": equal keys mean the result would be the same kind. */
export function paramsKeyOf(inputSha256: string, endpoint: string, preset: string, optionsJson: string): string {
  return createHash('sha256').update(JSON.stringify([inputSha256, endpoint, preset, optionsJson])).digest('hex');
}

/**
 * A model of the same photo with the same settings: by its prepared bytes, or by its original file
 * (whose prepared bytes differ with the long side, the sharp version, the CPU). Named parameters from
 * modelKeysOf; each side of the OR through its own index (models_by_params, models_by_source_params).
 */
export const SAME_MODEL_SQL = '(params_key = @paramsKey OR source_params_key = @sourceParamsKey)';

/** The parameters of SAME_MODEL_SQL; a photo with no original's hash (a set, an old job) matches by its prepared bytes only. */
export function modelKeysOf(inputSha256: string, sourceSha256: string | null | undefined, endpoint: string, preset: string, optionsJson: string): { paramsKey: string; sourceParamsKey: string | null } {
  return {
    paramsKey: paramsKeyOf(inputSha256, endpoint, preset, optionsJson),
    sourceParamsKey: sourceSha256 ? paramsKeyOf(sourceSha256, endpoint, preset, optionsJson) : null,
  };
}

/** The endpoints whose generator's name contains `text` ("trellis" -> TRELLIS and TRELLIS multi-image). */
function generatorsNamed(text: string): string[] {
  const wanted = text.toLowerCase();
  return wanted ? listModels().filter((model) => model.label.toLowerCase().includes(wanted)).map((model) => model.id) : [];
}

/**
 * A model's name and source as shown (shared/current-names, by the functions LibraryStore registers), in
 * SQL for search and sort. Only rows the rule can change are handed to it - a set whose name ends in
 * "more", a photo named "sample-*.jpg" -; the others are shown as stored (calling it for every row made
 * a search of 20,000 models take a second, not milliseconds).
 */
const SHOWN_NAME_SQL =
  "(CASE WHEN (sources_json IS NOT NULL AND name LIKE '% more') OR source_name GLOB 'sample-*.jpg' THEN current_name(name, sources_json, source_name) ELSE name END)";
const SHOWN_SOURCE_SQL = "(CASE WHEN source_name GLOB 'sample-*.jpg' THEN current_source(source_name) ELSE source_name END)";

const SORTS: Record<LibrarySort, string> = {
  newest: 'created_at DESC, rowid DESC',
  oldest: 'created_at ASC, rowid ASC',
  name: `${SHOWN_NAME_SQL} COLLATE NOCASE ASC, created_at DESC`,
  triangles: "CAST(json_extract(stats_json, '$.triangles') AS INTEGER) DESC, created_at DESC",
};

export class LibraryStore {

  private readonly stmt: (sql: string) => Statement;

  constructor(
    readonly db: Database,
    readonly dataDir: string,
  ) {
    this.stmt = statementCache(db);
    // Search and sort go by the names the user sees (shown by today's rule), not by those stored.
    db.function('current_name', { deterministic: true }, (name, sourcesJson, sourceName) =>
      shownName(String(name), typeof sourcesJson === 'string' ? parseJobInputs(sourcesJson) : undefined, nullableString(sourceName)),
    );
    db.function('current_source', { deterministic: true }, (sourceName) => (sourceName === null ? null : currentSourceName(String(sourceName))));
  }

  /** Inserts a model row; call inside the transaction that marks its job succeeded. */
  insert(model: NewModel): void {
    this.stmt(
      `INSERT INTO models (id, name, created_at, endpoint, preset, job_id, sha256, file_path, stats_json, tags_json,
         preview_path, cost_usd, source_name, params_key, source_params_key, sources_json)
       VALUES (@id, @name, @createdAt, @endpoint, @preset, @jobId, @sha256, @filePath, @stats, @tags, @previewPath,
         @costUsd, @sourceName, @paramsKey, @sourceParamsKey, @sourcesJson)`,
    ).run({
      ...model,
      sourceParamsKey: model.sourceParamsKey ?? null,
      sourcesJson: model.sourcesJson ?? null,
      filePath: this.toStored(model.filePath),
      previewPath: model.previewPath ? this.toStored(model.previewPath) : null,
      stats: JSON.stringify(model.stats),
      tags: JSON.stringify(model.tags ?? []),
    });
  }

  get(id: string): LibraryModel | null {
    const raw = this.raw(id);
    return raw ? toModel(raw) : null;
  }

  list(q: LibraryListQuery): { items: LibraryModel[]; total: number } {
    const text = q.query?.trim() ?? '';
    // The name and the source photos' names as shown (current-names: not an old set's "and 2 more"), each
    // tag on its own and the generator by its name - not the
    // tags' JSON text ('[]' matched "[") or the endpoint id ("fal-ai/...", "image-to-3d" matched "ai", "to").
    // (The JSON text still filters first: only rows whose tags could match are taken apart.)
    const where = text
      ? `WHERE ${SHOWN_NAME_SQL} LIKE @like ESCAPE '\\' OR ${SHOWN_SOURCE_SQL} LIKE @like ESCAPE '\\'
           OR (tags_json LIKE @like ESCAPE '\\' AND EXISTS (SELECT 1 FROM json_each(models.tags_json) AS tag WHERE tag.value LIKE @like ESCAPE '\\'))
           OR endpoint IN (SELECT value FROM json_each(@generators))`
      : '';
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const order = SORTS[q.sort ?? 'newest'];
    const generators = JSON.stringify(generatorsNamed(text));
    const params = { like, generators, limit: Math.max(0, Math.floor(q.limit)), offset: Math.max(0, Math.floor(q.offset)) };
    const rows = this.stmt(`SELECT * FROM models ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all(params) as Raw[];
    const total = Number((this.stmt(`SELECT COUNT(*) AS n FROM models ${where}`).get(params) as Raw).n);
    return { items: rows.map(toModel), total };
  }

  filePath(id: string): string | null {
    const raw = this.raw(id);
    return raw ? this.toAbsolute(String(raw.file_path)) : null;
  }

  previewPath(id: string): string | null {
    const raw = this.raw(id);
    return raw && raw.preview_path ? this.toAbsolute(String(raw.preview_path)) : null;
  }

  rename(id: string, name: string): LibraryModel | null {
    // At most 200 UTF-16 units (what library:rename accepts), cut between characters, never to nothing.
    const clean = cutName(name.replace(/\s+/g, ' '), 200, 200);
    if (!clean) throw new AppError('invalid_input', unusableNameReason(name));
    writeTx(this.db, () => this.stmt('UPDATE models SET name = ? WHERE id = ?').run(clean, id));
    return this.get(id);
  }

  setTags(id: string, tags: readonly string[]): LibraryModel | null {
    const clean = [...new Set(tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))].slice(0, 50);
    writeTx(this.db, () => this.stmt('UPDATE models SET tags_json = ? WHERE id = ?').run(JSON.stringify(clean), id));
    return this.get(id);
  }

  /**
   * Deletes the row and its files unless another model shares them (same content hash). File
   * removal is best effort: a file left behind is harmless, a row pointing nowhere is not.
   */
  delete(id: string): boolean {
    const raw = this.raw(id);
    if (!raw) return false;
    const filePath = String(raw.file_path);
    const previewPath = raw.preview_path ? String(raw.preview_path) : null;
    // The files go under the write lock too: a job committing the same content meanwhile (same hash)
    // checks for its file under that lock (library-ingest.ts), so it never commits a removed one.
    const changes = writeTx(this.db, () => {
      const changes = this.stmt('DELETE FROM models WHERE id = ?').run(id).changes;
      if (changes === 0) return 0;
      if (!this.stmt('SELECT 1 FROM models WHERE file_path = ? LIMIT 1').get(filePath)) unlinkQuietly(this.toAbsolute(filePath));
      if (previewPath && !this.stmt('SELECT 1 FROM models WHERE preview_path = ? LIMIT 1').get(previewPath)) unlinkQuietly(this.toAbsolute(previewPath));
      return changes;
    });
    return changes > 0;
  }

  /**
   * A model already made from the same input and parameters whose file is still there, if any (keys:
   * modelKeysOf). One whose file was deleted outside the app is no reason to refuse the photo: it
   * cannot be looked at or exported.
   */
  findByParams(keys: { paramsKey: string; sourceParamsKey: string | null }): LibraryModel | null {
    const rows = this.stmt(`SELECT * FROM models WHERE ${SAME_MODEL_SQL} ORDER BY created_at DESC`).all(keys) as Raw[];
    const kept = rows.find((raw) => statSync(this.toAbsolute(String(raw.file_path)), { throwIfNoEntry: false })?.isFile());
    return kept ? toModel(kept) : null;
  }

  /** Every stored file path (absolute), for integrity checks. */
  allFiles(): { id: string; filePath: string; previewPath: string | null }[] {
    return (this.stmt('SELECT id, file_path, preview_path FROM models').all() as Raw[]).map((raw) => ({
      id: String(raw.id),
      filePath: this.toAbsolute(String(raw.file_path)),
      previewPath: raw.preview_path ? this.toAbsolute(String(raw.preview_path)) : null,
    }));
  }

  private raw(id: string): Raw | undefined {
    return this.stmt('SELECT * FROM models WHERE id = ?').get(id) as Raw | undefined;
  }

  /**
   * Removes `path` (absolute) unless a model row uses it, checked and removed under the write lock:
   * a commit that checks its file under the same lock (library-ingest.ts) never points at a removed one.
   * `modifiedBefore`: also kept unless last modified before then (storing renews it, see files.ts).
   * True when the file was removed.
   */
  removeFileUnlessReferenced(path: string, opts: { modifiedBefore?: number } = {}): boolean {
    const stored = this.toStored(path);
    return writeTx(this.db, () => {
      if (this.stmt('SELECT 1 FROM models WHERE file_path = ? OR preview_path = ? LIMIT 1').get(stored, stored)) return false;
      if (opts.modifiedBefore !== undefined && !modifiedBefore(path, opts.modifiedBefore)) return false;
      return unlinkQuietly(path);
    });
  }

  private toStored(path: string): string {
    return toStoredPath(this.dataDir, path);
  }

  private toAbsolute(stored: string): string {
    return toAbsolutePath(this.dataDir, stored);
  }
}

/** Why a rename has no name left once cut to the limit. */
function unusableNameReason(name: string): string {
  return name.trim()
    ? 'This name cannot be kept: its first character alone is longer than a model name can be (200). Type another name.'
    : 'Give the model a name.';
}

const nullableString = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A model's name by today's rule (shared/current-names): an old set's or sample's stored name is shown as one made now. */
function shownName(name: string, sources: readonly JobInputInfo[] | undefined, sourceName: string | null): string {
  return currentName(name, sources ? sources.map((source) => source.name) : sourceName === null ? [] : [sourceName]);
}

function toModel(raw: Raw): LibraryModel {
  const sources = typeof raw.sources_json === 'string' ? parseJobInputs(raw.sources_json) : undefined;
  const sourceName = nullableString(raw.source_name);
  return {
    id: String(raw.id),
    name: shownName(String(raw.name), sources, sourceName),
    createdAt: Number(raw.created_at),
    endpoint: String(raw.endpoint),
    preset: raw.preset as Preset,
    jobId: raw.job_id === null || raw.job_id === undefined ? null : String(raw.job_id),
    sha256: String(raw.sha256),
    stats: JSON.parse(String(raw.stats_json)) as ModelStats,
    tags: JSON.parse(String(raw.tags_json)) as string[],
    hasPreview: raw.preview_path !== null && raw.preview_path !== undefined,
    costUsd: raw.cost_usd === null || raw.cost_usd === undefined ? null : Number(raw.cost_usd),
    sourceName: sourceName === null ? null : currentSourceName(sourceName),
    ...(sources ? { sources } : {}),
  };
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    // already gone, or locked (Windows): the orphan file is harmless
    return false;
  }
}

function modifiedBefore(path: string, time: number): boolean {
  try {
    return statSync(path).mtimeMs < time;
  } catch {
    return false;
  }
}
