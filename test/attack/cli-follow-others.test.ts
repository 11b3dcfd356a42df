// The CLI next to another process on one data folder (the desktop app, or a second engine): what the
// other process does to a CLI's jobs must neither strand the CLI nor lose the CLI's output.
//   - a job made by `convert --out DIR` and finished by another process while no CLI followed it is
//     written to DIR by the next `resume` (it used to say "Nothing to resume" and write nothing);
//   - a `resume` killed (or failing) while copying a model into --out leaves it for the next `resume`
//     (the file used to be claimed before the copy: claimed, never written, never written again);
//   - a `resume` following a job that the app finishes and removes exits (it used to wait forever:
//     a removed row sends no job event, and the wait looked only at job events).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import { checkGlbHeader } from '../../src/core/library/glb';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { addOne, FAST_TIMING } from '../core/engine/harness';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const KEY = 'cli-others-key-123456';
const env = { FAL_KEY: KEY };

let work: string;
let fake: FakeFal | undefined;
let other: Engine | undefined;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-others-'));
});
afterEach(async () => {
  await other?.close();
  other = undefined;
  await fake?.close();
  fake = undefined;
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

async function photo(name: string, seed: number): Promise<string> {
  const path = join(work, name);
  writeFileSync(path, await makeTestJpeg(320, 240, { seed }));
  return path;
}

/** Resolves when `predicate` holds, checking every 50 ms; rejects after `ms`. */
async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the CLI next to another process on one data folder', { timeout: 180_000 }, () => {
  it('resume writes a model another process finished into the --out its job was made with', async () => {
    fake = await startFakeFal({ holdJobs: true });
    const dataDir = join(work, 'data-finished-elsewhere');
    const out = join(work, 'out-finished-elsewhere');
    const input = await photo('lamp.jpg', 71);
    // The user presses Ctrl-C while FAL runs the job.
    const first = await runCli(['convert', input, '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
      env,
      interruptAfter: (line) => line.includes('"state":"running"'),
    });
    expect(first.code).toBe(1);
    expect(fake.submissions).toHaveLength(1);

    // The desktop app (another engine on the folder) picks the job up and finishes it.
    other = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: FAST_TIMING });
    await other.start();
    expect(fake.completeNow(fake.submissions[0]!.requestId)).toBe(true);
    await until(() => other!.listJobs().every((job) => job.state === 'succeeded'), 60_000, 'the other process to finish the job');
    await other.close();
    other = undefined;
    expect(existsSync(join(out, 'lamp.glb'))).toBe(false);

    // `resume`, as the README says after Ctrl-C: the model lands where convert meant it to, once.
    const resumed = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ input: 'lamp.jpg', file: join(out, 'lamp.glb') }] });
    expect(checkGlbHeader(readFileSync(join(out, 'lamp.glb'))).ok).toBe(true);
    expect(fake.submissions).toHaveLength(1);

    // Written once: a second resume has nothing left to write.
    const again = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 0, outputs: [] });
    expect(existsSync(join(out, 'lamp-2.glb'))).toBe(false);
  });

  it('a resume whose copy into --out failed (or was killed) leaves the model for the next resume', async () => {
    fake = await startFakeFal({ processingMs: 50 });
    const dataDir = join(work, 'data-killed-copy');
    const out = join(work, 'out-killed-copy');
    const input = await photo('kettle.jpg', 91);
    // A convert made the job with its --out; the app finished it (the model is not in --out yet).
    const first = await runCli(['convert', input, '--out', out, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
      env,
      interruptAfter: (line) => line.includes('"state":"submitted"') || line.includes('"state":"running"'),
    });
    expect(first.code).toBe(1);
    other = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: FAST_TIMING });
    await other.start();
    await until(() => other!.listJobs().every((job) => job.state === 'succeeded'), 60_000, 'the app to finish the job');
    const model = other.library.filePath(other.listJobs()[0]!.modelId!)!;
    await other.close();
    other = undefined;

    // The copy fails (as when the run is killed in it, the disk is full or the file is away a moment):
    // where the model file was there is a folder.
    renameSync(model, `${model}.kept`);
    mkdirSync(model);
    const failed = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
    expect(failed.code).not.toBe(0);
    rmSync(model, { recursive: true });
    renameSync(`${model}.kept`, model);
    expect(existsSync(join(out, 'kettle.glb'))).toBe(false);

    const again = await runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1, outputs: [{ file: join(out, 'kettle.glb') }] });
    expect(checkGlbHeader(readFileSync(join(out, 'kettle.glb'))).ok).toBe(true);
    expect(fake.submissions).toHaveLength(1);
  });

  it('a resume waiting for a job the app finishes and removes exits', async () => {
    fake = await startFakeFal({ holdJobs: true });
    const dataDir = join(work, 'data-removed-elsewhere');
    // The desktop app runs a job; FAL holds it running.
    other = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: FAST_TIMING });
    await other.start();
    const id = await addOne(other, { endpoint: 'tripo3d/tripo/v2.5/image-to-3d' });
    await until(() => fake!.submissions.length === 1, 60_000, 'the submit');

    // `resume` in a terminal follows that job.
    let cli: ChildProcess | undefined;
    let following = false;
    const run = runCli(['resume', '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
      env,
      onSpawn: (child) => (cli = child),
      onLine: (line) => (following ||= line.includes(`"id":"${id}"`)),
    });
    await until(() => following, 90_000, 'resume to follow the job');
    // While the terminal is suspended (Ctrl-Z), the app finishes the job and the user removes it.
    cli!.kill('SIGSTOP');
    expect(fake.completeNow(fake.submissions[0]!.requestId)).toBe(true);
    await until(() => other!.getJob(id)?.state === 'succeeded', 60_000, 'the app to finish the job');
    expect(other.remove(id)).toBe(true);
    cli!.kill('SIGCONT');

    const exited = await Promise.race([run, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(exited, 'resume still waits for a job that no longer exists').not.toBeNull();
    expect(exited!.code).toBe(1);
    expect(jsonLines(exited!.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 0, failed: 1, pending: 0 });
    expect(fake.submissions).toHaveLength(1);
  });
});
