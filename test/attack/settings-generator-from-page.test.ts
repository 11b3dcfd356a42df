// settings:set from a page (a compromised one, or a bug) naming a generator: any text was taken as the
// default generator - a 20 MB one was written to settings.json, sent back by every settings:get (and
// now to every window), and each photo added then (the watched folder's too) was refused with the whole
// text in its reason ('Unknown model "..."') and in the log. A generator the app does not offer is now
// refused with invalid_input, and nothing is saved.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useTempAppCore } from '../support/temp-app-core';

const start = useTempAppCore('settings-generator');

it('a default or watch generator the app does not offer is refused; nothing is saved', async () => {
  const { core, dataDir } = await start();
  expect(await core.dispatch('settings:set', { theme: 'dark' })).toMatchObject({ ok: true });
  const before = readFileSync(join(dataDir, 'settings.json'), 'utf8');
  for (const patch of [{ defaultModel: 'x'.repeat(20 * 1024 * 1024) }, { defaultModel: 'someone/else/model' }, { watchModel: 'someone/else/model' }]) {
    const answer = await core.dispatch('settings:set', patch);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!answer.ok) expect(answer.error.message.length).toBeLessThan(300);
  }
  expect(statSync(join(dataDir, 'settings.json')).size).toBeLessThan(10_000);
  expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
  // The catalog's own generators are taken.
  expect(await core.dispatch('settings:set', { defaultModel: 'offline/relief', watchModel: 'tripo3d/tripo/v2.5/image-to-3d' })).toMatchObject({ ok: true });
});
