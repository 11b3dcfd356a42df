// "Unreachable" is not "not sent". ECONNREFUSED, ENOTFOUND, EHOSTUNREACH... prove nothing reached
// FAL only when they come from connecting (or the name lookup). On a connection that was already
// open, Linux reports a route lost mid-request (Wi-Fi dropped, VPN switched) as EHOSTUNREACH /
// ENETUNREACH on the socket's read or write, after the submit may have reached FAL. Such a submit is
// uncertain: needs attention, never a silent resubmit (it used to count as "offline, nothing sent",
// and the job was submitted - and paid - again when the network came back).
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/core/fal/node-fetch';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isSubmit = (init: RequestInit | undefined) => {
  const target = new Headers(init?.headers).get('x-fal-target-url') ?? '';
  return init?.method === 'POST' && /queue\.fal\.run/.test(target) && !/\/requests\//.test(target);
};

/** Node's error for a socket whose route went away: `read EHOSTUNREACH` (or ENETUNREACH, on write). */
const socketError = (code: string, syscall: string) =>
  Object.assign(new Error(`${syscall} ${code}`), { code, syscall, errno: code === 'EHOSTUNREACH' ? -113 : -101 });

describe('a submit whose connection lost its route after sending', () => {
  for (const [code, syscall] of [
    ['EHOSTUNREACH', 'read'],
    ['ENETUNREACH', 'write'],
  ] as const) {
    it(`${syscall} ${code} after FAL queued the job: needs attention, one submission`, async () => {
      let dropped = 0;
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const answer = await nodeFetch(input, init);
        if (dropped === 0 && isSubmit(init)) {
          dropped++;
          // FAL has the job; its answer never arrives.
          await answer.arrayBuffer();
          throw socketError(code, syscall);
        }
        return answer;
      };
      h = await createHarness({ engine: { fetch } });
      const id = await addOne(h.engine);
      const job = await waitForJob(h.engine, id, inState('needs_attention', 'succeeded', 'failed'), 20_000);
      await h.engine.waitForIdle();
      expect(dropped).toBe(1);
      expect(h.fake.submissions).toHaveLength(1);
      expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
      await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
      expect(h.fake.submissions).toHaveLength(1);
    });
  }

  it('connect ECONNREFUSED (nothing was sent) still waits for the network and submits once it is back', async () => {
    let refused = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (refused === 0 && isSubmit(init)) {
        refused++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 });
      }
      return nodeFetch(input, init);
    };
    h = await createHarness({ engine: { fetch } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('needs_attention', 'succeeded', 'failed'), 20_000);
    expect(refused).toBe(1);
    expect(job.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });
});
