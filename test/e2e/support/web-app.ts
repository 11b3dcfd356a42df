// Starts the real app (core + browser transport, built renderer) in a child process for one test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningWebApp {
  appUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function launchWebApp(opts: { env?: Record<string, string | undefined>; falProxy?: string } = {}): Promise<RunningWebApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-e2e-'));
  const args = ['tsx', 'scripts/dev-web.ts', '--static', 'out/renderer', '--data-dir', dataDir, '--json'];
  if (opts.falProxy) args.push('--fal-proxy', opts.falProxy);
  const env: NodeJS.ProcessEnv = { ...process.env, FAL_KEY: undefined, IMAGE2MODEL_FAL_PROXY: undefined, ...opts.env };
  const child: ChildProcess = spawn('npx', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const appUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The web app did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`The web app exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { appUrl?: string };
        if (parsed.appUrl) {
          clearTimeout(timer);
          resolve(parsed.appUrl);
        }
      } catch {
        // Not our JSON line.
      }
    });
  });
  return {
    appUrl,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
