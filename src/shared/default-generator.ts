// Which generator a new job uses when none is named. One rule for the CLI and the app: the user's own
// choice wins; otherwise Tripo v2.5 when a FAL key is set, and the offline Relief (an approximation
// made on this computer) when none is, so a first photo becomes a model without a key.
export const DEFAULT_MODEL_ID = 'tripo3d/tripo/v2.5/image-to-3d';
export const OFFLINE_MODEL_ID = 'offline/relief';

export function defaultGenerator(opts: { hasKey: boolean; chosen?: string | null }): string {
  return opts.chosen ?? (opts.hasKey ? DEFAULT_MODEL_ID : OFFLINE_MODEL_ID);
}

/** The app's generator for new images: the one chosen in the app (remembered in settings), else the rule. */
export function appGenerator(settings: { defaultModel: string; defaultModelChosen: boolean }, hasKey: boolean): string {
  return defaultGenerator({ hasKey, chosen: settings.defaultModelChosen ? settings.defaultModel : null });
}
