// A platform call to a server that takes the connection and never answers (a hung proxy) held a
// price refresh or a billing key test for 4 tries x 20 s plus back-off, ~81 s, before the user was
// told anything. The call now has one deadline over all its tries and waits (30 s by default): no
// try starts without time left, the last one gets only what remains, and the error says how long
// it tried in all.
import { expect, it } from 'vitest';
import { createPlatformCall } from '../../../src/core/fal/platform-call';
import { PlatformError } from '../../../src/core/fal/platform-errors';
import { z } from 'zod';

/** A fetch that never answers: it only ends when the call gives up on it (its signal). */
function neverAnswers(tries: { limitSeen: boolean }[]): typeof fetch {
  return ((_input: unknown, init?: RequestInit) => {
    const signal = init?.signal;
    tries.push({ limitSeen: signal !== undefined && signal !== null });
    return new Promise<Response>((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  }) as typeof fetch;
}

it('a server that never answers is given up on at the deadline, not after every try has run out its own timeout', async () => {
  const tries: { limitSeen: boolean }[] = [];
  // Each try may take 300 ms; four tries in all would take 1.2 s. The whole call may take 500 ms.
  const { call } = createPlatformCall({ key: 'key-0123456789abcdef', fetch: neverAnswers(tries), timeoutMs: 300, retries: 3, baseDelayMs: 10, deadlineMs: 500, minTryMs: 100 });
  const failure = await call(z.object({}), 'GET', '/models/pricing', new URLSearchParams()).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(PlatformError);
  expect(failure).toMatchObject({ kind: 'offline' });
  // The second try gets what is left (~190 ms); no third one starts with less than 100 ms to go.
  expect(tries.length).toBeGreaterThanOrEqual(1);
  expect(tries.length).toBeLessThanOrEqual(2);
  expect(tries.every((t) => t.limitSeen)).toBe(true);
  if (tries.length === 2) expect((failure as Error).message).toMatch(/could not be reached \(no answer within \d+ s\), 2 tries over \d+ s\.$/);
});
