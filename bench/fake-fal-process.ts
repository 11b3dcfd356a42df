// Starts the fake FAL server in a child process (fake-fal-child.ts) for a bench.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeFalEvent, FakeFalOptions } from '../test/fake-fal/types';

export interface FakeFalProcess {
  url: string;
  /** Its job events (submitted, started, completed...), fetched once the timed part is over. */
  events(): Promise<FakeFalEvent[]>;
  /** CPU time the fake's process has used so far (user + system), or null where /proc is not there. */
  cpuMs(): number | null;
  close(): Promise<void>;
}

/**
 * The model the fake serves each bench job: the size of the smallest model Tripo makes for the app, its
 * draft preset (face_limit 10,000, no texture: about 10k triangles, ~230 KB here) - the preset the
 * benches ask for. The standard and high presets (the app's default is standard) bring 50k-100k faces
 * and textures: larger still. Before, the fake served a 500-triangle model with a 64 px texture (~25 KB),
 * a tenth of that, so downloading, checking and storing it cost the engine less than any real model does.
 */
export const BENCH_MODEL = { triangles: 10_000, textured: false } as const;

/** A Linux process's CPU time from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
export function processCpuMs(pid: number | undefined, file = `/proc/${pid}/stat`): number | null {
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Options must survive JSON (no functions). */
export async function startFakeFalProcess(options: FakeFalOptions): Promise<FakeFalProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'fake-fal-child.ts');
  // BENCH_FAKE_PROFILE=<dir>: a CPU profile of the fake's process (what FAL's side costs this machine).
  const profile = process.env.BENCH_FAKE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_FAKE_PROFILE}`] : [];
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('url '));
      if (line) resolve(line.slice(4).trim());
    });
    proc.once('exit', (code) => reject(new Error(`fake FAL process exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    url,
    async events() {
      const state = (await (await fetch(`${url}/_fake/state`)).json()) as { events: FakeFalEvent[] };
      return state.events;
    },
    cpuMs: () => processCpuMs(proc.pid),
    async close() {
      proc.stdin!.end();
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** When each request started and completed at the fake server. */
export class FakeTimes {
  private readonly byRequest = new Map<string, Partial<Record<FakeFalEvent['type'], number>>>();
  /** Most requests in progress at the fake at once (what FAL's concurrency limit counts). */
  readonly mostInProgress: number;
  constructor(events: FakeFalEvent[]) {
    let running = 0;
    let most = 0;
    for (const event of events) {
      if (event.type === 'started') most = Math.max(most, ++running);
      if (event.type === 'completed' && this.byRequest.get(event.requestId)?.started !== undefined) running--;
      const times = this.byRequest.get(event.requestId) ?? {};
      times[event.type] ??= event.at;
      this.byRequest.set(event.requestId, times);
    }
    this.mostInProgress = most;
  }
  at(requestId: string, type: FakeFalEvent['type']): number | undefined {
    return this.byRequest.get(requestId)?.[type];
  }
  /** FAL's own processing time for a request (started -> completed). */
  processing(requestId: string): number | null {
    const started = this.at(requestId, 'started');
    const completed = this.at(requestId, 'completed');
    return started !== undefined && completed !== undefined ? completed - started : null;
  }
}

/**
 * A slot's turnaround at FAL: the k-th completion frees a slot that the (k + concurrency)-th submit
 * takes; the ideal has none. From the fake's own clock.
 */
export function slotTurnarounds(fake: FakeTimes, requestIds: Iterable<string>, concurrency: number): number[] {
  const ids = [...requestIds];
  const times = (type: FakeFalEvent['type']) => ids.map((id) => fake.at(id, type)).filter((t) => t !== undefined).sort((a, b) => a - b);
  const submits = times('submitted');
  const completions = times('completed');
  const turnarounds: number[] = [];
  for (let k = concurrency; k < submits.length; k++) turnarounds.push(submits[k]! - completions[k - concurrency]!);
  return turnarounds;
}
