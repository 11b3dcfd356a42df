// Types for scripts/ensure-browser.mjs (imported by playwright.config.ts).
export const INSTALL_HINT: string;
export function findChromium(env?: NodeJS.ProcessEnv): string | null;
export function ensureBrowser(opts?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<string>;
