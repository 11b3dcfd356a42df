// Domain types shared by core, main, preload and renderer. Pure zod, no node:, DOM or electron.
import { z } from 'zod';
import { VIEW_ROLES } from './input-roles';

export const JOB_STATES = [
  'queued',
  'preparing',
  'submitted',
  'running',
  'downloading',
  'succeeded',
  'failed',
  'canceled',
  'needs_attention',
] as const;
export const JobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobStateSchema>;

/** States a job never leaves by itself. */
export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'canceled', 'needs_attention'];
/** States in which a worker holds the job (it has a lease). */
export const ACTIVE_STATES: readonly JobState[] = ['preparing', 'submitted', 'running', 'downloading'];

export const PRESETS = ['draft', 'standard', 'high'] as const;
export const PresetSchema = z.enum(PRESETS);
export type Preset = z.infer<typeof PresetSchema>;

/**
 * Whole-queue state: why new work is or is not being started. disk_error: a failed save holds FAL work
 * until a restart; disk_slow: a save has waited unusually long for the disk (nothing failed, the queue runs);
 * balance_used_up: FAL refused jobs because the account's balance is used up (the key is right: top up, then test it).
 */
export const QueueStatusSchema = z.enum(['running', 'paused', 'key_rejected', 'balance_used_up', 'offline', 'spending_cap', 'no_key', 'disk_error', 'disk_slow']);
export type QueueStatus = z.infer<typeof QueueStatusSchema>;

export const QueueStateSchema = z.object({
  status: QueueStatusSchema,
  /** Plain-words reason shown in the banner, null when running normally. */
  message: z.string().nullable(),
  running: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  /** When the queue will try again by itself (offline / rate limit), epoch ms. */
  resumesAt: z.number().nullable(),
  /**
   * spending_cap only, before the cap is spent: FAL jobs already started (claimed, not sent yet) whose
   * estimates use up the rest of it. They still run; absent once the cap is really reached.
   */
  capStarting: z.number().int().positive().optional(),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

/** The view an image of a multi-image job shows (Tripo Multiview); null in an ordered set. */
export const InputRoleSchema = z.enum(VIEW_ROLES);

/** One image of a multi-image job, in the job's order. */
export const JobInputInfoSchema = z.object({
  position: z.number().int().nonnegative(),
  role: InputRoleSchema.nullable(),
  /** Original file name as the user gave it. */
  name: z.string(),
});
export type JobInputInfo = z.infer<typeof JobInputInfoSchema>;

export const JobSchema = z.object({
  id: z.string(),
  state: JobStateSchema,
  endpoint: z.string(),
  preset: PresetSchema,
  /** Original file name as the user gave it. */
  inputName: z.string(),
  inputSha256: z.string(),
  /** 0..100, never goes backwards. */
  progress: z.number().min(0).max(100),
  queuePosition: z.number().int().nullable(),
  /** Current friendly log line ("Generating mesh"). */
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  modelId: z.string().nullable(),
  estimatedCostUsd: z.number().nullable(),
  /** Ids are stable; FAL's request id is shown for support, never needed by the renderer to act. */
  falRequestId: z.string().nullable(),
  /** FAL is done with falRequestId (it failed or forgot the run, or its result failed our checks): nothing more to fetch under it. */
  requestFinished: z.boolean(),
  /**
   * A queued job that only fetches the model from the link in FAL's answer kept with it (Download
   * again, a resumed request; the link has not failed since): it needs no FAL key and runs without
   * one. Absent otherwise.
   */
  keptLink: z.literal(true).optional(),
  /** Every image of a multi-image job, in order (thumbnails: `input/<job id>_<position>`); absent for one image. */
  inputs: z.array(JobInputInfoSchema).optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const TextureInfoSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  mimeType: z.string(),
  bytes: z.number().int(),
});
export type TextureInfo = z.infer<typeof TextureInfoSchema>;

export const ModelStatsSchema = z.object({
  triangles: z.number().int().nonnegative(),
  vertices: z.number().int().nonnegative(),
  materials: z.number().int().nonnegative(),
  textures: z.array(TextureInfoSchema),
  fileSize: z.number().int().nonnegative(),
});
export type ModelStats = z.infer<typeof ModelStatsSchema>;

export const LibraryModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  endpoint: z.string(),
  preset: PresetSchema,
  jobId: z.string().nullable(),
  sha256: z.string(),
  stats: ModelStatsSchema,
  tags: z.array(z.string()),
  hasPreview: z.boolean(),
  costUsd: z.number().nullable(),
  sourceName: z.string().nullable(),
  /** A model made from several images: each of them, in order (absent for one image). */
  sources: z.array(JobInputInfoSchema).optional(),
});
export type LibraryModel = z.infer<typeof LibraryModelSchema>;

export const RejectedInputSchema = z.object({ input: z.string(), reason: z.string() });
export type RejectedInput = z.infer<typeof RejectedInputSchema>;

export const KeySourceSchema = z.enum(['stored', 'environment']);
export const KeyStatusSchema = z.object({
  set: z.boolean(),
  last4: z.string().nullable(),
  source: KeySourceSchema.nullable(),
  /** safeStorage backend (e.g. 'gnome_libsecret', 'basic_text', 'keychain', 'dpapi', 'none'). */
  backend: z.string(),
  /** True when the stored key cannot be decrypted any more and must be entered again. */
  needsReentry: z.boolean(),
  /** True when the backend only obfuscates (Linux basic_text). */
  weakProtection: z.boolean(),
  /** Why the key in the environment (FAL_KEY) is not used, when it holds one that cannot work. */
  envProblem: z.string().max(500).optional(),
});
export type KeyStatus = z.infer<typeof KeyStatusSchema>;
