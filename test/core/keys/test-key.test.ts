// key:test's probe against the fake FAL server: one authenticated call to FAL's price list (documented
// to need a key), reported as accepted / rejected / unchecked / unreachable, never with the key in the
// message. Only FAL's documented success proves a key was accepted.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFalKey } from '../../../src/core/keys/test-key';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const GOOD = 'good-key-id:0123456789abcdef0123';
const BAD = 'bad-key-id:fedcba9876543210fedc';
let fake: FakeFal;

beforeAll(async () => {
  fake = await startFakeFal({ acceptedKeys: [GOOD] });
});
afterAll(async () => fake.close());

/** The fake as a proxy that gets the key (as the CLI sends it to a proxy on this computer). */
const viaFake = () => ({ proxyUrl: fake.url, sendKeyToProxy: true });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('testFalKey', () => {
  it('reports an accepted key after one authenticated call', async () => {
    const before = fake.requests.length;
    const result = await testFalKey(GOOD, { route: viaFake() });
    expect(result.result).toBe('accepted');
    const calls = fake.requests.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ op: 'platform', outcome: 200, authorization: `Key ${GOOD}` });
    expect(calls[0]!.targetUrl).toMatch(/^https:\/\/api\.fal\.ai\/v1\/models\/pricing\?/);
  });

  it('reports a key FAL answers 401 for as rejected', async () => {
    const result = await testFalKey(BAD, { route: viaFake() });
    expect(result.result).toBe('rejected');
    expect(result.message).not.toContain(BAD);
    expect(result.message).not.toContain(BAD.split(':')[1]);
  });

  it('treats 403 (locked account / no balance) as rejected too, and says to top up, not to change the key', async () => {
    fake.script({ op: 'platform', fault: { kind: 'auth', status: 403 } }); // FAL's "User is locked. Reason: Exhausted balance..."
    const result = await testFalKey(GOOD, { route: viaFake() });
    expect(result.result).toBe('rejected');
    expect(result.message).toMatch(/locked: its balance is used up\. Top up at fal\.ai\/dashboard\/billing/);
    expect(result.message).not.toMatch(/enter it again/);
  });

  it('names a used-up balance as a likely reason for a 403 that says no more', async () => {
    fake.script({ op: 'platform', fault: { kind: 'auth', status: 403, detail: 'Forbidden' } });
    const result = await testFalKey(GOOD, { route: viaFake() });
    expect(result.result).toBe('rejected');
    expect(result.message).toContain('balance is used up');
    expect(result.message).toContain('fal.ai/dashboard/billing');
  });

  it('reports unreachable when nothing answers, without the key in the message', async () => {
    const result = await testFalKey(GOOD, { route: { proxyUrl: `http://127.0.0.1:${await closedPort()}`, sendKeyToProxy: true }, timeoutMs: 3000 });
    expect(result.result).toBe('unreachable');
    expect(result.message).not.toContain(GOOD);
    expect(result.message).not.toContain(GOOD.split(':')[1]);
  });

  it('sends no key to a proxy the user did not choose to give it to, and says it cannot check', async () => {
    const before = fake.requests.length;
    const result = await testFalKey(GOOD, { route: { proxyUrl: fake.url, sendKeyToProxy: false } });
    // The proxy adds its own key: its answer would say nothing about this one (fab0491: "rejected").
    expect(result.result).toBe('unchecked');
    expect(fake.requests.slice(before)).toEqual([]);
  });

  it('reports no_key without calling FAL', async () => {
    const before = fake.requests.length;
    expect((await testFalKey(null, { route: viaFake() })).result).toBe('no_key');
    expect(fake.requests.length).toBe(before);
  });
});

describe('testFalKey makes one call only', () => {
  it('does not retry a temporary FAL error (the button answers at once)', async () => {
    fake.script({ op: ['status', 'platform'], times: 10, fault: { kind: 'infra', status: 503 } });
    const before = fake.requests.length;
    const result = await testFalKey(GOOD, { route: viaFake() });
    expect(result.result).toBe('unchecked');
    expect(fake.requests.length - before).toBe(1);
    fake.clearScript();
  });
});

// Issue 10: on fab0491 every 4xx other than 401/403/429 counted as "FAL authenticated the call", so a
// proxy (or anything at the proxy address) answering 404 made a wrong key look valid.
describe('testFalKey never calls a key accepted without FAL saying so', () => {
  const answers: [string, Parameters<FakeFal['script']>[0]['fault']][] = [
    ['a proxy answering 404 to everything', { kind: 'http', status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } }],
    ['404 in FAL\'s own words', { kind: 'http', status: 404, body: { detail: 'Request not found' } }],
    ['400 from a proxy that refuses the request', { kind: 'http', status: 400, body: { error: 'bad request' } }],
    ['200 from a captive portal', { kind: 'http', status: 200, body: '<html>Sign in to the Wi-Fi</html>', headers: { 'content-type': 'text/html' } }],
    ['200 JSON that is not FAL\'s price list', { kind: 'http', status: 200, body: { ok: true } }],
    ['429', { kind: 'rateLimit', retryAfter: 1 }],
  ];
  for (const [label, fault] of answers) {
    it(`a wrong key and ${label}: could not check, not accepted`, async () => {
      fake.script({ op: ['status', 'platform'], times: Infinity, fault });
      try {
        const result = await testFalKey(BAD, { route: viaFake() });
        expect(result.result).toBe('unchecked');
        expect(result.message).toMatch(/could not be checked/);
        expect(result.message).not.toContain(BAD.split(':')[1]);
      } finally {
        fake.clearScript();
      }
    });
  }
});
