// key:test's probe against the fake FAL server through the real @fal-ai/client: one authenticated call,
// reported as accepted / rejected / unreachable, with the key never in the message.
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
    expect(calls[0]!.authorization).toBe(`Key ${GOOD}`);
  });

  it('reports a key FAL answers 401 for as rejected', async () => {
    const result = await testFalKey(BAD, { route: viaFake() });
    expect(result.result).toBe('rejected');
    expect(result.message).not.toContain(BAD);
    expect(result.message).not.toContain(BAD.split(':')[1]);
  });

  it('treats 403 (locked account / no balance) as rejected too', async () => {
    fake.script({ op: 'status', fault: { kind: 'auth', status: 403 } });
    expect((await testFalKey(GOOD, { route: viaFake() })).result).toBe('rejected');
  });

  it('reports unreachable when nothing answers, without the key in the message', async () => {
    const result = await testFalKey(GOOD, { route: { proxyUrl: `http://127.0.0.1:${await closedPort()}`, sendKeyToProxy: true }, timeoutMs: 3000 });
    expect(result.result).toBe('unreachable');
    expect(result.message).not.toContain(GOOD);
    expect(result.message).not.toContain(GOOD.split(':')[1]);
  });

  it('sends no key to a proxy the user did not choose to give it to', async () => {
    const before = fake.requests.length;
    const result = await testFalKey(GOOD, { route: { proxyUrl: fake.url, sendKeyToProxy: false } });
    expect(result.result).toBe('rejected'); // the fake, like FAL, answers 401 without a key
    expect(fake.requests.slice(before).map((r) => r.authorization)).toEqual([undefined]);
  });

  it('reports no_key without calling FAL', async () => {
    const before = fake.requests.length;
    expect((await testFalKey(null, { route: viaFake() })).result).toBe('no_key');
    expect(fake.requests.length).toBe(before);
  });
});

describe('testFalKey makes one call only', () => {
  it('does not retry a temporary FAL error (the button answers at once)', async () => {
    fake.script({ op: 'status', times: 10, fault: { kind: 'infra', status: 503 } });
    const before = fake.requests.length;
    const result = await testFalKey(GOOD, { route: viaFake() });
    expect(result.result).toBe('unreachable');
    expect(fake.requests.length - before).toBe(1);
    fake.clearScript();
  });
});
