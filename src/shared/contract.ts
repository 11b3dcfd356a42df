// The IPC contract: the single source of truth for what the renderer may ask and what it is told.
// Every channel names a zod schema for its input and output; every event names its payload schema.
// The preload, main's handler registration, the browser transport and the renderer's `Api` type all
// derive from these two maps.
// Over 300 lines on purpose: `channels` is the whole surface the renderer (and the browser bridge)
// can reach, with every input's limits, so a security review reads it in one file; the payload schemas
// above it are the IPC's own (shapes with a life beyond IPC live in domain.ts, settings.ts, ...).
import { z } from 'zod';
import {
  InputRoleSchema,
  JobSchema,
  KeyStatusSchema,
  LibraryModelSchema,
  PresetSchema,
  QueueStateSchema,
  RejectedInputSchema,
} from './domain';
import { ModelSummarySchema } from './models';
import { PageSettingsPatchSchema, SettingsSchema } from './settings';
import { StatsQuerySchema, StatsReportSchema } from './stats';
import {
  BatchProgressSchema,
  BatchSummarySchema,
  ExportPlanSchema,
  ExportPresetSchema,
  ExportRecipeSchema,
  PresetIdSchema,
  PresetLabelSchema,
} from './export-recipe';
import { SampleIdSchema, SampleSchema } from './samples';
import { WatchStatusSchema } from './watch';
import type { Result } from './result';
import type { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from './channel-names';
import { SEARCH_MAX_LENGTH } from './search';

const Id = z.string().min(1).max(200);
const NoInput = z.undefined();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  /** Base URL under which library files are served by id: `${fileBaseUrl}model/<id>`. */
  fileBaseUrl: z.string(),
  platform: z.string(),
  falKey: z.object({ configured: z.boolean(), source: z.enum(['stored', 'environment']).nullable() }),
  transport: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** An image handed to the app: a path (Electron drop, dialogs, CLI) or bytes (browser drop, paste). */
export const ImageItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('bytes'),
    name: z.string().min(1).max(255),
    bytes: z
      .custom<Uint8Array>((b) => b instanceof Uint8Array, 'Expected the image bytes')
      .refine((b) => b.byteLength <= 200 * 1024 * 1024, 'Image is larger than 200 MB'),
  }),
]);
export type ImageItem = z.infer<typeof ImageItemSchema>;

export const JobOptionsSchema = z.object({
  endpoint: z.string().min(1).max(200).optional(),
  preset: PresetSchema.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  /** Run again even when an identical image with identical parameters already has a model. */
  force: z.boolean().optional(),
  /**
   * The check before paying (the window's drops and picks): an image a paid generator would make a poorer
   * model from (too small, animated) is not sent; the answer lists it under `held` for the user to send anyway.
   */
  holdConcerns: z.boolean().optional(),
});

/** One image of a multi-image job: the image and, for models that name views, its view. */
export const InputSetMemberSchema = z.object({ item: ImageItemSchema, role: InputRoleSchema.nullable().optional() });
export type InputSetMember = z.infer<typeof InputSetMemberSchema>;

/**
 * Where an entry's image was in the call's images (jobs:add: its `items`; jobs:pick and jobs:addFolder: the
 * images picked or found): two images of one name (a browser drop from two folders) are told apart by it,
 * so "Send anyway" and "Make again anyway" send back exactly that image.
 */
const ItemPlace = z.number().int().min(0).optional();

export const AddJobsResultSchema = z.object({
  added: z.array(JobSchema),
  rejected: z.array(RejectedInputSchema),
  /** Identical image + parameters already produced these models; nothing was queued for them. */
  duplicates: z.array(z.object({ input: z.string(), modelId: z.string(), item: ItemPlace })).default([]),
  /** Images that joined a job (in `added`) for the same image + parameters, in this call or already on its way. */
  joined: z
    .array(
      z.object({
        input: z.string(),
        jobId: z.string(),
        /** The job was made in this same call by an earlier copy of the image (the same photo given twice). */
        sameCall: z.boolean().optional(),
        item: ItemPlace,
      }),
    )
    .optional(),
  /** Added images that may make a poorer model (too small, animated), with what to know: `text` names the image. */
  warnings: z.array(z.object({ input: z.string(), text: z.string() })).optional(),
  /** With holdConcerns: images not sent to the paid generator until the user says so; `text` names the image. */
  held: z
    .array(
      z.object({
        input: z.string(),
        text: z.string(),
        item: ItemPlace,
        /** The job sending it would make: held images (of any call) with one jobKey are one job, charged once. */
        jobKey: z.string().optional(),
      }),
    )
    .optional(),
});
export type AddJobsResult = z.infer<typeof AddJobsResultSchema>;

export const LibrarySortSchema = z.enum(['newest', 'oldest', 'name', 'triangles']);
export const LibraryListInputSchema = z.object({
  query: z.string().max(SEARCH_MAX_LENGTH).optional(),
  sort: LibrarySortSchema.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export const ExportFormatSchema = z.enum(['glb', 'obj', 'stl']);

export const LibraryChangeSchema = z.object({
  kind: z.enum(['added', 'removed', 'updated']),
  id: z.string(),
});

export const CostSummarySchema = z.object({
  todayUsd: z.number(),
  monthUsd: z.number(),
  /**
   * This month's sends whose answer was lost and that FAL's records have not settled yet, at their
   * estimates: FAL may have charged them. Not in monthUsd; counted against the cap (capReached).
   */
  possibleUsd: z.number().optional(),
  capUsd: z.number().nullable(),
  capReached: z.boolean(),
  /** What the totals are made of: FAL's real charges (billing key), the app's estimates, or both. */
  basis: z.enum(['real', 'estimate', 'mixed']).optional(),
  /** An admin ("billing") key is set, so real charges and the balance can be read. */
  billingKey: z.boolean().optional(),
  balanceUsd: z.number().nullable().optional(),
  /** When real charges and the balance were last read from FAL (epoch ms). */
  syncedAt: z.number().nullable().optional(),
  syncError: z.string().nullable().optional(),
});

export const JobCostSchema = z.object({
  jobId: z.string(),
  usd: z.number(),
  /** billing_event: FAL's charge; units_header: units FAL reported, at its listed price; no_charge: FAL billed nothing; request_history: FAL's request history shows a run FAL does not charge (a server error, never started). */
  source: z.enum(['billing_event', 'units_header', 'no_charge', 'request_history']),
  /** What FAL refunded of the job's charges (its billing records); absent when nothing was. */
  refundedUsd: z.number().nonnegative().optional(),
});

export const PriceRefreshSchema = z.object({ ok: z.boolean(), message: z.string().nullable(), asOf: z.number().nullable() });

export const ReconcileReportSchema = z.object({
  checked: z.number().int(),
  adopted: z.array(z.object({ jobId: z.string(), requestId: z.string() })),
  absent: z.array(z.object({ jobId: z.string(), checkedAt: z.number() })),
  resubmitted: z.array(z.string()),
  waiting: z.array(z.object({ jobId: z.string(), reason: z.string(), nextCheckAt: z.number() })),
  /** Earlier sends of jobs sent again or removed that FAL's records settled; `message` says so in plain words. */
  pastFound: z.array(z.object({ jobId: z.string(), sentAt: z.number(), requestId: z.string(), usd: z.number().nullable(), message: z.string() })),
  pastAbsent: z.array(z.object({ jobId: z.string(), sentAt: z.number(), message: z.string() })),
});

export const KeyTestResultSchema = z.object({
  /** unchecked: FAL's answer did not show either way (a proxy's 404, a 5xx); never counted as accepted. */
  result: z.enum(['accepted', 'rejected', 'unchecked', 'unreachable', 'no_key']),
  message: z.string(),
});

/** Where FAL calls go, as the user confirmed it (main-process dialog). */
export const FalProxySchema = z.object({
  /** The proxy every FAL call goes through, or null for FAL directly. */
  url: z.string().nullable(),
  /** Whether the FAL key is sent to that proxy too (otherwise the proxy adds its own). */
  sendKey: z.boolean(),
});
export type FalProxy = z.infer<typeof FalProxySchema>;

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** Where an export goes; absent means the output folder from Settings (or the data folder's exports/). */
const ExportDir = z.string().min(1).max(4096).optional();
const ExportPresetRef = z.string().min(1).max(64).optional();

export const channels = {
  'app:info': channel(NoInput, AppInfoSchema),

  'jobs:add': channel(JobOptionsSchema.extend({ items: z.array(ImageItemSchema).min(1).max(1000) }), AddJobsResultSchema),
  'jobs:addFolder': channel(JobOptionsSchema.extend({ path: z.string().min(1).max(4096) }), AddJobsResultSchema),
  /** Several images that make one model (one job), in order, with their views where the model names them. */
  'jobs:addSet': channel(JobOptionsSchema.extend({ inputs: z.array(InputSetMemberSchema).min(1).max(8) }), AddJobsResultSchema),
  /** Opens the platform's file picker and adds what the user chose. */
  'jobs:pick': channel(JobOptionsSchema, AddJobsResultSchema),
  'jobs:list': channel(NoInput, z.array(JobSchema)),
  'jobs:cancel': channel(z.object({ id: Id }), JobSchema),
  'jobs:retry': channel(z.object({ id: Id, confirm: z.boolean().optional(), mode: z.enum(['download', 'generate']).optional() }), JobSchema),
  'jobs:remove': channel(z.object({ id: Id }), z.object({ removed: z.boolean() })),
  'jobs:clearFinished': channel(NoInput, z.object({ removed: z.number().int() })),
  /** Another generator for a waiting job that never left for FAL (e.g. offline while no key is set). */
  'jobs:setModel': channel(z.object({ id: Id, endpoint: z.string().min(1).max(200), preset: PresetSchema.optional() }).strict(), JobSchema),

  'queue:state': channel(NoInput, QueueStateSchema),
  'cost:summary': channel(NoInput, CostSummarySchema),
  'models:list': channel(NoInput, z.array(ModelSummarySchema)),

  'library:list': channel(LibraryListInputSchema, z.object({ items: z.array(LibraryModelSchema), total: z.number().int() })),
  'library:get': channel(z.object({ id: Id }), LibraryModelSchema),
  'library:rename': channel(z.object({ id: Id, name: z.string().trim().min(1).max(200) }), LibraryModelSchema),
  'library:delete': channel(z.object({ id: Id }), z.object({ deleted: z.boolean() })),
  'library:setTags': channel(
    z.object({ id: Id, tags: z.array(z.string().trim().min(1).max(50)).max(50) }),
    LibraryModelSchema,
  ),
  /** Queues the photo a library model was made from again, with another generator (the inspector's "Make with another generator"). */
  'library:remake': channel(z.object({ modelId: Id, endpoint: z.string().min(1).max(200), preset: PresetSchema }), AddJobsResultSchema),

  'settings:get': channel(NoInput, SettingsSchema),
  'settings:set': channel(PageSettingsPatchSchema, SettingsSchema),

  'key:status': channel(NoInput, KeyStatusSchema),
  'key:set': channel(z.object({ key: z.string().max(500), allowWeak: z.boolean().optional() }), KeyStatusSchema),
  'key:clear': channel(NoInput, KeyStatusSchema),
  'key:test': channel(NoInput, KeyTestResultSchema),

  /** The optional admin key for real spend and the balance (same vault rules as the main key). */
  'billingKey:status': channel(NoInput, KeyStatusSchema),
  'billingKey:set': channel(z.object({ key: z.string().max(500), allowWeak: z.boolean().optional() }), KeyStatusSchema),
  'billingKey:clear': channel(NoInput, KeyStatusSchema),
  /** Reads real charges and the balance from FAL now (needs the billing key). */
  'spend:sync': channel(NoInput, CostSummarySchema),
  'spend:jobCosts': channel(z.object({ ids: z.array(Id).max(1000) }), z.array(JobCostSchema)),
  'prices:refresh': channel(NoInput, PriceRefreshSchema),
  /** Asks FAL now about every job whose submit answer was lost. */
  'reconcile:run': channel(NoInput, ReconcileReportSchema),
  'proxy:get': channel(NoInput, FalProxySchema),
  /** Asks for a proxy change; main asks the user in a dialog that names the host. `applied` is false when they declined. */
  'proxy:set': channel(
    z.object({ url: z.string().max(2000).nullable(), sendKey: z.boolean().default(false) }),
    z.object({ applied: z.boolean(), proxy: FalProxySchema }),
  ),

  /** Asks where to save (platform dialog), then copies atomically. `path` is null when canceled. */
  'export:model': channel(z.object({ id: Id, format: ExportFormatSchema.default('glb') }), z.object({ path: z.string().nullable() })),
  /** Export studio: built-in and saved presets, and the folder exports go to by default. */
  'export:presets': channel(
    NoInput,
    z.object({ presets: z.array(ExportPresetSchema), defaultDir: z.string(), problem: z.string().nullable() }),
  ),
  'export:savePreset': channel(
    z.object({
      id: PresetIdSchema.optional(),
      label: PresetLabelSchema,
      description: z.string().max(600).optional(),
      recipe: ExportRecipeSchema,
    }),
    ExportPresetSchema,
  ),
  'export:deletePreset': channel(z.object({ id: PresetIdSchema }), z.object({ deleted: z.boolean() })),
  /** Runs the recipe in memory: figures, warnings and a GLB preview; nothing is written. */
  'export:plan': channel(
    z.object({ id: Id, recipe: ExportRecipeSchema, presetId: ExportPresetRef }),
    z.object({ plan: ExportPlanSchema, preview: z.custom<Uint8Array>((b) => b instanceof Uint8Array, 'Expected the preview bytes') }),
  ),
  'export:run': channel(
    z.object({ id: Id, recipe: ExportRecipeSchema, presetId: ExportPresetRef, dir: ExportDir }),
    z.object({ dir: z.string(), files: z.array(z.string()) }),
  ),
  /** Many models (by id, or every match of a library search) with one recipe; progress comes as events. */
  'export:batch': channel(
    z.object({
      batchId: Id,
      ids: z.array(Id).max(10_000).optional(),
      query: z.string().max(SEARCH_MAX_LENGTH).optional(),
      recipe: ExportRecipeSchema,
      presetId: ExportPresetRef,
      dir: ExportDir,
    }),
    BatchSummarySchema,
  ),
  'export:cancel': channel(z.object({ batchId: Id }), z.object({ canceled: z.boolean() })),
  /** The platform's folder picker for the export folder, opened at `startIn`; `dir` is null when canceled. */
  'export:chooseFolder': channel(z.object({ startIn: z.string().max(4096).optional() }), z.object({ dir: z.string().nullable() })),
  'shell:reveal': channel(z.object({ id: Id }), z.object({ done: z.boolean() })),
  'shell:openModel': channel(z.object({ id: Id }), z.object({ done: z.boolean() })),
  'shell:openExternal': channel(z.object({ url: z.url() }), z.object({ done: z.boolean() })),
  'shell:startDrag': channel(z.object({ id: Id }), z.object({ done: z.boolean() })),

  /** FAL request statistics for a time range (whole local days): per model, errors, spend per day. */
  'stats:get': channel(StatsQuerySchema, StatsReportSchema),

  /** The sample photos this installation ships ("Try a sample"). */
  'samples:list': channel(NoInput, z.array(SampleSchema)),
  /** Queues a sample by id (main reads its file; the page never sends a path), like a dropped photo. */
  'samples:add': channel(z.object({ id: SampleIdSchema, endpoint: JobOptionsSchema.shape.endpoint, preset: PresetSchema.optional() }), AddJobsResultSchema),

  /** The watched folder: on or off, its folder, why it is paused, what it refused. */
  'watch:status': channel(NoInput, WatchStatusSchema),
  /** Opens the platform's folder picker; the folder chosen is watched from now on (images already in it are not added). */
  'watch:chooseFolder': channel(NoInput, WatchStatusSchema),
  /** Turns the watch on (from now: images already in the folder are not added) or off. */
  'watch:setEnabled': channel(z.object({ enabled: z.boolean() }).strict(), WatchStatusSchema),
} as const;

export const events = {
  'job:changed': JobSchema,
  'queue:changed': QueueStateSchema,
  'library:changed': LibraryChangeSchema,
  'settings:changed': SettingsSchema,
  'export:progress': BatchProgressSchema,
  /** A read of FAL's charges and balance ended: the spending summary as it is now (cost:summary's answer). */
  'cost:changed': CostSummarySchema,
  /** The saved export presets changed (another process - the CLI - saved or deleted one): read them again. */
  'presets:changed': z.undefined(),
  /** The watched folder's status changed (images taken, paused, back). */
  'watch:changed': WatchStatusSchema,
  /** Menu accelerators that the renderer acts on (open images, paste, export), and notification clicks
   *  ('open-model' with the library id of the model that just finished). */
  'app:command': z.union([
    z.object({ command: z.enum(['open-images', 'paste-images', 'export-model', 'open-settings']) }),
    z.object({ command: z.literal('open-model'), id: Id }),
  ]),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** One function per channel: channels without input take no argument. */
export type ChannelFunction<C extends ChannelName> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

/** What the renderer sees as `window.api`, built by the preload or the browser transport. */
export type Api = { [C in ChannelName]: ChannelFunction<C> } & {
  /** Subscribes to a main -> renderer event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
};

/** The service side: one async function per channel, receiving parsed input. */
export type Handlers = { [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

/** The service side's event sink. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

// Compile-time proof that the zod-free name lists used by the preload match the contract.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListMatches: SameKeys<ChannelName, (typeof CHANNEL_NAME_LIST)[number]> = true;
const eventListMatches: SameKeys<EventName, (typeof EVENT_NAME_LIST)[number]> = true;
void channelListMatches;
void eventListMatches;
