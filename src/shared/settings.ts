// User settings: one zod schema with defaults, used by main (electron-store), the headless store and the UI.
import { z } from 'zod';
import { DEFAULT_MODEL_ID } from './default-generator';
import { PresetSchema } from './domain';

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

/** The ranges the settings file accepts for the photo limits (Settings > Photos says them too). */
export const UPLOAD_LIMIT_MB = { min: 1, max: 200 } as const;
export const LONG_SIDE_PX = { min: 256, max: 8192 } as const;

export const SettingsSchema = z.object({
  defaultModel: z.string().min(1).max(200).default(DEFAULT_MODEL_ID),
  /** The user picked defaultModel; otherwise new images follow the key (see default-generator.ts). */
  defaultModelChosen: z.boolean().default(false),
  defaultPreset: PresetSchema.default('standard'),
  concurrency: z.number().int().min(1).max(8).default(2),
  outputFolder: z.string().nullable().default(null),
  exportAfterSuccess: z.boolean().default(false),
  theme: ThemeSchema.default('system'),
  notifications: z.boolean().default(true),
  uploadLimitMb: z.number().int().min(UPLOAD_LIMIT_MB.min).max(UPLOAD_LIMIT_MB.max).default(50),
  falProxyUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
  spendingCapUsd: z.number().positive().nullable().default(null),
  maxLongSide: z.number().int().min(LONG_SIDE_PX.min).max(LONG_SIDE_PX.max).default(2048),
  /** Export preset for "export after each model"; null copies the GLB as it is. */
  autoExportPreset: z.string().min(1).max(64).nullable().default(null),
  /** Minutes after a lost submit answer before "FAL has no record of it" counts as final (FAL lists requests with a delay). */
  reconcileSettleMinutes: z.number().int().min(1).max(1440).default(10),
  /** Send a job again by itself once FAL has no record of it after the settle time (off: the user decides). */
  autoResubmitUnreceived: z.boolean().default(false),
  /**
   * Folders the user chose in the native folder picker (newest last): the only folders, besides the
   * app's own exports folder, that exports go to. Written by the main process only (not by settings:set).
   */
  exportFolders: z.array(z.string().min(1).max(4096)).max(20).default([]),
  /** The watched folder (chosen in the folder picker, written by main only); null: none chosen yet. */
  watchFolder: z.string().min(1).max(4096).nullable().default(null),
  /** New images in watchFolder become jobs (written by main only: turning it on resets watchLastRanAt). */
  watchEnabled: z.boolean().default(false),
  /** The generator and quality for the watch's jobs; null: the default generator / quality. */
  watchModel: z.string().min(1).max(200).nullable().default(null),
  watchPreset: PresetSchema.nullable().default(null),
  /**
   * When the watch last ran (ms): at the next start, only images newer than this are taken - the ones
   * that arrived while the app was closed. Written by main only.
   */
  watchLastRanAt: z.number().int().nonnegative().nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;
type SettingsShape = typeof SettingsSchema.shape;
/**
 * A partial update: exactly the keys given. Built from the fields without their defaults, because zod 4
 * applies a default even inside `.partial()`, which made every patch reset all other settings.
 */
export const SettingsPatchSchema = z
  .object(
    Object.fromEntries(Object.entries(SettingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
      [K in keyof SettingsShape]: z.ZodOptional<ReturnType<SettingsShape[K]['unwrap']>>;
    },
  )
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
/** What the page may patch: everything but the folders the user chose and the watch's state (main keeps those). */
export const PageSettingsPatchSchema = SettingsPatchSchema.omit({ exportFolders: true, watchFolder: true, watchEnabled: true, watchLastRanAt: true });
export type PageSettingsPatch = z.infer<typeof PageSettingsPatchSchema>;
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/**
 * A patch as the app applies it: setting the generator is choosing it (from then on it no longer
 * follows the key). Shared by the app (settings:set) and the window, which shows a change at once.
 */
export function asApplied<P extends SettingsPatch>(patch: P): P {
  return patch.defaultModel !== undefined && patch.defaultModelChosen === undefined ? { ...patch, defaultModelChosen: true } : patch;
}

/** `settings` with `patch`'s given keys applied (keys given as undefined are not). */
export function withPatch(settings: Settings, patch: SettingsPatch): Settings {
  const given = Object.fromEntries(Object.entries(asApplied(patch)).filter(([, value]) => value !== undefined));
  return { ...settings, ...given } as Settings;
}
