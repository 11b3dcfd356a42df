// Attack: FAL's price list (or a hostile proxy) names a key in a price's billing unit - the ordinary
// FAL key, or the billing (admin) key the CLI also holds. The price list's unit was kept as it came:
// stored in the data folder's price cache, printed by `image2model models --json` and sent to the
// window with the model list. A price entry naming a key is now unreadable like a garbled one (its
// model keeps the price it had) and nothing of the key is stored or printed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { runCli } from '../support/cli-process';
import { secretPiecesIn } from '../support/secret-pieces';

const MAIN_ID = '5f3c9a7e-1b2d-4c6e-8a0f-2d4b6c8e0a1b';
const MAIN_SECRET = '9d1e7a3b5c2f4e6a8b0c1d3e5f7a9b2c';
const ADMIN_ID = '0b8e2f4a-6c1d-4e3f-9a7b-5d2c8e1f0a3b';
const ADMIN_SECRET = 'c4a1f9e27b3d5068e1a2b4c6d8f0e3a5';
const MAIN = `${MAIN_ID}:${MAIN_SECRET}`;
const ADMIN = `${ADMIN_ID}:${ADMIN_SECRET}`;
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';

function expectNoKeyIn(text: string, where: string): void {
  for (const secret of [MAIN_SECRET, ADMIN_SECRET]) expect.soft(secretPiecesIn(secret, text.toLowerCase()), `${where}: a secret`).toEqual([]);
  for (const id of [MAIN_ID, ADMIN_ID]) expect.soft(secretPiecesIn(id, text), `${where}: a key id`).toEqual([]);
}

let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

it('a price whose unit names a key is not stored, printed or used; the other prices are', async () => {
  fake = await startFakeFal({
    platform: { prices: { [TRIPO]: { unitPrice: 0.25, unit: `generation for ${MAIN} and ${ADMIN}` }, [TRELLIS]: { unitPrice: 0.02, unit: 'request' } } },
  });
  dir = mkdtempSync(join(tmpdir(), 'i2m-attack-price-unit-'));
  const result = await runCli(['models', '--json', '--data-dir', dir, '--fal-proxy', fake.url], { env: { FAL_KEY: MAIN, FAL_ADMIN_KEY: ADMIN } });
  expect(result.code).toBe(0);
  expectNoKeyIn(result.stdout + result.stderr, 'the CLI output');
  for (const file of readdirSync(dir)) expectNoKeyIn(readFileSync(join(dir, file)).toString('latin1'), file);
  const models = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; price?: { source: string; unit: string | null } });
  // The readable price is still FAL's; the one naming a key is not used.
  expect(models.find((m) => m.id === TRELLIS)?.price).toMatchObject({ source: 'fal', unit: 'request' });
  expect(models.find((m) => m.id === TRIPO)?.price).toMatchObject({ source: 'built_in', unit: null });
}, 60_000);
