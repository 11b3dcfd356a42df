// Small shared types for the composition root and its collaborators.
import type { z } from 'zod';
import type { ExportFormatSchema } from '../shared/contract';
import type { KeyStatus } from '../shared/domain';
import type { Settings, SettingsPatch } from '../shared/settings';

export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Holds the FAL key. Electron encrypts it with safeStorage; headless keeps it in memory only. */
export interface KeyVault {
  status(): KeyStatus;
  /** The usable key, or null. Never sent to the renderer. */
  get(): string | null;
  set(key: string, options?: { allowWeak?: boolean }): KeyStatus;
  clear(): KeyStatus;
}

export interface SettingsStore {
  get(): Settings;
  set(patch: SettingsPatch): Settings;
  /** Problems found when loading (e.g. invalid stored settings were reset). */
  warnings(): string[];
}

import type { AddJobsResult, ImageItem, InputSetMember } from '../shared/contract';
import type { Job, LibraryModel, Preset, QueueState } from '../shared/domain';
import type { StatsReader } from './stats';

export interface AddJobsOptions {
  endpoint?: string;
  preset?: Preset;
  options?: Record<string, unknown>;
  force?: boolean;
  /** Images a paid generator would make a poorer model from are held, not sent (AddJobsResult.held). */
  holdConcerns?: boolean;
  /** Where the finished model is also written (the CLI's --out); stored with the job. */
  outputDir?: string;
  /**
   * Added with no user asking (the watched folder): an image the app already has a job for, with any
   * generator or settings and in any state (failed at FAL: it may have been charged), is not made
   * again; that job is answered.
   */
  unattended?: boolean;
}

/**
 * `download`: fetch the result FAL already made under the stored request id (free). `generate`: a new
 * submit (paid; asks first when the job was sent before). Unset: download when possible.
 */
export interface RetryOptions {
  confirm?: boolean;
  mode?: 'download' | 'generate';
}

export type LibrarySort = 'newest' | 'oldest' | 'name' | 'triangles';

/** What the composition root needs from the job engine (src/core/engine/ implements it). */
export interface EngineApi {
  addImages(items: ImageItem[], opts: AddJobsOptions): Promise<AddJobsResult>;
  addFolder(dir: string, opts: AddJobsOptions): Promise<AddJobsResult>;
  /** Several images that make one model: one job, its images kept in order with their views. */
  addSet(inputs: InputSetMember[], opts: AddJobsOptions): Promise<AddJobsResult>;
  listJobs(): Job[];
  getJob(id: string): Job | null;
  cancel(id: string): Promise<Job>;
  retry(id: string, opts: RetryOptions): Promise<Job>;
  remove(id: string): boolean;
  clearFinished(): number;
  /** Another generator (and preset) for a job that is waiting and was never sent to FAL. */
  setModel(id: string, opts: { endpoint: string; preset?: Preset }): Job;
  queueState(): QueueState;
  setConcurrency(n: number): void;
  setFalProxyUrl(url: string | null): void;
  keyChanged(): void;
  /** The spending cap changed: re-check whether FAL jobs may start. */
  limitsChanged(): void;
  costSummary(capUsd: number | null): { todayUsd: number; monthUsd: number; possibleUsd: number; capUsd: number | null; capReached: boolean };
  /** Request statistics (the Stats view, `image2model stats`). */
  stats: StatsReader;
  library: {
    list(q: { query?: string; sort?: LibrarySort; offset: number; limit: number }): { items: LibraryModel[]; total: number };
    get(id: string): LibraryModel | null;
    filePath(id: string): string | null;
    previewPath(id: string): string | null;
    rename(id: string, name: string): LibraryModel;
    delete(id: string): boolean;
    setTags(id: string, tags: string[]): LibraryModel;
  };
  /** Path of a job's prepared input image (for thumbnails), or null. */
  inputPath(jobId: string): string | null;
  on(event: 'job', listener: (job: Job) => void): () => void;
  on(event: 'queue', listener: (state: QueueState) => void): () => void;
  on(event: 'library', listener: (change: { kind: 'added' | 'removed' | 'updated'; id: string }) => void): () => void;
  on(event: 'presets', listener: () => void): () => void;
}
