// The CLI's own entry point (argument parsing, output, exit code) run in the test's process: what a
// child process of the bin does, less the seconds each one spends starting Node and tsx and loading
// the app (test/support/cli-process.ts runs the real bin, for the tests that need the process itself).
// As there, no FAL key or proxy from the caller's environment. One run at a time.
import { vi } from 'vitest';
import { runCli as runCliMain } from '../../src/cli/main';
import type { CliResult } from './cli-process';

export async function runCliInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  vi.stubEnv('FAL_KEY', undefined);
  vi.stubEnv('IMAGE2MODEL_FAL_PROXY', undefined);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCliMain([...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}
