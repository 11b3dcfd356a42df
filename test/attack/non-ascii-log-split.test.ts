// @fal-ai/client decodes each chunk of the status stream on its own: a model's log line with accents,
// CJK or emoji whose bytes the network cut in two reached the queue and the journal as "�". Through
// the real client and the fake FAL, the stream written in 7-byte pieces.
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a non-ASCII model log line cut by the network', () => {
  it('is shown and journaled with every character intact', async () => {
    h = await createHarness();
    const line = 'Génération du maillage – étape 2/3 🦊 网格完成';
    h.fake.script({ op: 'submit', outcome: { kind: 'logLines', lines: [line] } });
    h.fake.script({ op: 'stream', times: Infinity, fault: { kind: 'drip', bytes: 7, gapMs: 1 } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    expect(job.state).toBe('succeeded');
    const messages = h.engine.jobEvents(id).map((e) => e.message ?? '');
    expect(messages).toContain(line);
    expect(messages.join('\n')).not.toContain('\uFFFD');
    // The stream really was read in pieces (the fake dripped it): the test is not passing by luck.
    expect(h.fake.requestsFor('stream').some((entry) => entry.fault === 'drip')).toBe(true);
  });
});
