// Two engines on one data folder (the desktop app and a CLI run): what one cleans up at start must
// never be what the other is still working on.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/core/engine';
import { addOne, createHarness, FAST_TIMING, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
let other: Engine | undefined;
afterEach(async () => {
  await other?.close();
  other = undefined;
  await h?.close();
  h = undefined;
});

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Another process's engine on the same folder (no key: it runs nothing itself). */
function otherEngine(dataDir: string, timing: Partial<typeof FAST_TIMING> = {}): Engine {
  return createEngine({ dataDir, getFalKey: () => null, timing: { ...FAST_TIMING, ...timing } });
}

describe('start-up clean-up of temp files', () => {
  it("spares a download that stalled past the other process's minimum age; the job succeeds with one download", async () => {
    h = await createHarness({ engine: { timing: { tempFileTouchMs: 50 } } });
    h.fake.script({ op: 'file', when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'stall', bytes: 1_000 } });
    const id = await addOne(h.engine);
    const library = join(h.dataDir, 'library');
    const temp = await until(() => readdirSync(library).find((name) => name.endsWith('.download')));
    const born = statSync(join(library, temp)).birthtimeMs || Date.now();
    // Stalled (nothing written) for longer than the other process's minimum age.
    await until(() => (Date.now() - born > 1_500 ? true : undefined));

    other = otherEngine(h.dataDir, { tempFileMinAgeMs: 1_000 });
    await other.start();
    expect(existsSync(join(library, temp))).toBe(true);

    expect(h.fake.releaseStalled()).toBe(1);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    expect(job.state).toBe('succeeded');
    expect(h.fake.requestsFor('file').filter((r) => r.targetUrl.includes('.glb'))).toHaveLength(1);
    expect(h.fake.requestsFor('result')).toHaveLength(1);
  });
});
