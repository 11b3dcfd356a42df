// Types for test/support/no-real-fal.mjs.
export const REAL_FAL_LOG_ENV: string;
export function isRealFalHost(hostname: string): boolean;
export function installNoRealFal(): void;
/** `--import=<file URL of the guard>` (default: this module). */
export function guardImportOption(moduleUrl?: string): string;
export function forbidRealFalInChildren(env: NodeJS.ProcessEnv | Record<string, string | undefined>, logFile: string): typeof env;
export function takeRealFalAttempts(logFile?: string): string[];
export function checkRealFalAttempts(logFile?: string): void;
