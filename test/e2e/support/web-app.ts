// Starts the real app (core + browser transport, built renderer) in a child process for one test.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnGroup, stopGroup } from '../../support/process-group';
import { checkRealFalAttempts, forbidRealFalInChildren } from '../../support/no-real-fal.mjs';

export interface RunningWebApp {
  appUrl: string;
  dataDir: string;
  /** What the app's headless platform did, in order ("openExternal https://...", "reveal ..."). */
  platformCalls: string[];
  stop(): Promise<void>;
}

export async function launchWebApp(
  opts: { env?: Record<string, string | undefined>; falProxy?: string; /** What the folder picker answers (default <data>/exports). */ pickedFolder?: string } = {},
): Promise<RunningWebApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-e2e-'));
  const args = ['--import', 'tsx', 'scripts/dev-web.ts', '--static', 'out/renderer', '--data-dir', dataDir, '--json'];
  if (opts.falProxy) args.push('--fal-proxy', opts.falProxy);
  if (opts.pickedFolder) args.push('--picked-folder', opts.pickedFolder);
  const env: NodeJS.ProcessEnv = { ...process.env, FAL_KEY: undefined, IMAGE2MODEL_FAL_PROXY: undefined, ...opts.env };
  // The app never reaches the real FAL in a test: it is refused there, and stop() fails the test that tried.
  const realFalLog = join(dataDir, 'real-fal-attempts.log');
  forbidRealFalInChildren(env, realFalLog);
  // One node process in its own group, so stopping it stops everything it started.
  const child: ChildProcess = spawnGroup(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const platformCalls: string[] = [];
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The web app did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`The web app exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { appUrl?: string; platform?: string };
        if (parsed.platform) platformCalls.push(parsed.platform);
        if (parsed.appUrl) {
          clearTimeout(timer);
          resolve(parsed.appUrl);
        }
      } catch {
        // Not our JSON line.
      }
    });
  });
  const stop = async () => {
    await stopGroup(child);
    try {
      checkRealFalAttempts(realFalLog);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  const appUrl = await started.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { appUrl, dataDir, platformCalls, stop };
}
