// The exit code tells a script (or a supervisor sending SIGTERM) what stopped a convert: a shell's
// 128 + the signal for SIGTERM (143) and SIGHUP (129), 1 for a first Ctrl-C, 130 for a second one that
// cuts the wait for a submit's answer. A SIGTERM that cut that wait exited 130, as if Ctrl-C had.
// Each phase: preparing (images still being added), the submit wait, following FAL's work.
// The real bin against the fake FAL server.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { runCli, stopAllCliRuns, type CliResult } from '../support/cli-process';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const FIRST_SIGNAL_EXIT: Record<Signal, number> = { SIGINT: 1, SIGTERM: 143, SIGHUP: 129 };

let work = '';
let fake: FakeFal;
let photo = '';
let folder = '';
let runs = 0;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-signal-codes-'));
  fake = await startFakeFal({ processingMs: 3_000 });
  photo = join(work, 'mug.jpg');
  writeFileSync(photo, await makeTestJpeg(640, 480, { seed: 41 }));
  folder = join(work, 'photos');
  mkdirSync(folder);
  for (let i = 0; i < 12; i++) writeFileSync(join(folder, `photo-${i}.jpg`), await makeTestJpeg(1200, 900, { seed: 500 + i }));
}, 120_000);
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

/** A convert of `inputs` in a data folder of its own; `onSpawn` signals it. */
function convert(inputs: string[], onSpawn: (child: ChildProcess) => void): Promise<CliResult> {
  const n = ++runs;
  const args = ['convert', ...inputs, '--force', '--out', join(work, `out-${n}`), '--data-dir', join(work, `data-${n}`), '--fal-proxy', fake.url, '--json'];
  return runCli(args, { env: { FAL_KEY: 'cli-test-key-123456' }, onSpawn });
}

/** Calls `then` once the child's stdout (or stderr) has shown `text`. */
function whenShown(child: ChildProcess, stream: 'stdout' | 'stderr', text: string, then: () => void): void {
  let seen = '';
  let done = false;
  child[stream]!.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    if (done || !seen.includes(text)) return;
    done = true;
    then();
  });
}

describe('the exit code names the signal that stopped the run', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s while a folder is still being prepared', { timeout: 120_000 }, async (signal) => {
    // At the first submit: the folder's other photos are still being added.
    const before = fake.submissions.length;
    const run = await convert([folder], (child) => {
      const look = setInterval(() => {
        if (fake.submissions.length === before) return;
        clearInterval(look);
        child.kill(signal);
      }, 2);
      child.on('exit', () => clearInterval(look));
    });
    expect(run.code).toBe(FIRST_SIGNAL_EXIT[signal]);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s while FAL works on the job (polling)', { timeout: 120_000 }, async (signal) => {
    const run = await convert([photo], (child) => whenShown(child, 'stdout', '"state":"submitted"', () => child.kill(signal)));
    expect(run.code).toBe(FIRST_SIGNAL_EXIT[signal]);
  });

  // [the signal that stopped the run, the one that then cut the wait for the submit's answer, exit]
  const CUTS: [Signal, Signal, number][] = [
    ['SIGINT', 'SIGINT', 130],
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGINT', 'SIGTERM', 143],
    ['SIGHUP', 'SIGTERM', 143],
    ['SIGTERM', 'SIGINT', 130],
  ];
  it.each(CUTS)('%s, then %s cutting the submit wait: exit %i', { timeout: 120_000 }, async (first, second, code) => {
    // FAL takes the job but its answer never comes back.
    fake.script({ op: 'submit', fault: { kind: 'hang', afterHandling: true } });
    const run = await convert([photo], (child) => {
      whenShown(child, 'stdout', '"message":"Sending the job to FAL"', () => child.kill(first));
      whenShown(child, 'stderr', "Waiting for FAL's answer", () => child.kill(second));
    });
    expect(run.stderr).toMatch(/Stopped without FAL's answer: mug\.jpg needs attention/);
    expect(run.code).toBe(code);
  });

  it('SIGHUP during the submit wait does not cut it: the answer is waited for, exit 129', { timeout: 120_000 }, async () => {
    // FAL's answer to the submit comes after 4 s.
    fake.script({ op: 'submit', delayMs: 4_000 });
    const run = await convert([photo], (child) => {
      whenShown(child, 'stdout', '"message":"Sending the job to FAL"', () => child.kill('SIGHUP'));
      whenShown(child, 'stderr', "Waiting for FAL's answer", () => child.kill('SIGHUP'));
    });
    expect(run.stderr).toContain("Waiting for FAL's answer");
    expect(run.stderr).not.toContain("Stopped without FAL's answer");
    expect(run.code).toBe(129);
  });
});
