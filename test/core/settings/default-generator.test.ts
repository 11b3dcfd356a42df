// One rule for the generator of new images, shared by the CLI and the app: the user's choice wins,
// else Tripo v2.5 with a FAL key and the offline Relief without one. The app remembers an explicit
// choice in settings (setting the generator is choosing it); older settings files keep a real choice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createHandlers } from '../../../src/core/services';
import type { AddJobsOptions } from '../../../src/core/services-types';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { loadSettings } from '../../../src/core/settings/migrate';
import { appGenerator, defaultGenerator } from '../../../src/shared/default-generator';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const RELIEF = 'offline/relief';
const TRELLIS = 'fal-ai/trellis';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** The app's handlers over a fake engine that records what jobs:add was asked for. */
function app(env: NodeJS.ProcessEnv) {
  dir = mkdtempSync(join(tmpdir(), 'i2m-generator-'));
  const added: AddJobsOptions[] = [];
  const engine = {
    addImages: async (_items: unknown, opts: AddJobsOptions) => {
      added.push(opts);
      return { added: [], rejected: [], duplicates: [] };
    },
    keyChanged: () => {},
  } as unknown as Parameters<typeof createHandlers>[0]['engine'];
  const settings = createFileSettingsStore(join(dir, 'settings.json'));
  const dispatch = createDispatcher(
    createHandlers({
      engine,
      keys: createMemoryKeyVault(env),
      settings,
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'i2m://library/', platform: 'linux', transport: 'web' },
      route: createMemoryRouteStore(),
    }),
  );
  const addOne = async () => {
    await dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'a.png', bytes: new Uint8Array([1]) }] });
    return added.at(-1)!.endpoint;
  };
  return { dispatch, settings, addOne };
}

describe('the default generator', () => {
  it('is the choice when there is one, else Tripo v2.5 with a key and Relief without', () => {
    expect(defaultGenerator({ hasKey: false })).toBe(RELIEF);
    expect(defaultGenerator({ hasKey: true })).toBe(TRIPO);
    expect(defaultGenerator({ hasKey: false, chosen: TRELLIS })).toBe(TRELLIS);
    expect(appGenerator(DEFAULT_SETTINGS, false)).toBe(RELIEF);
    expect(appGenerator(DEFAULT_SETTINGS, true)).toBe(TRIPO);
    expect(appGenerator({ defaultModel: TRIPO, defaultModelChosen: true }, false)).toBe(TRIPO);
  });

  it('the app: Relief until a key is added, then Tripo v2.5; a chosen generator stays whatever the key', async () => {
    const first = app({});
    expect(await first.addOne()).toBe(RELIEF);
    await first.dispatch('key:set', { key: 'fal-key-0123456789abcdef' });
    expect(await first.addOne()).toBe(TRIPO);
    await first.dispatch('key:clear', undefined);

    // Choosing a generator (the chooser saves it as the default) is remembered.
    expect(await first.dispatch('settings:set', { defaultModel: TRIPO })).toMatchObject({ ok: true, data: { defaultModel: TRIPO, defaultModelChosen: true } });
    expect(await first.addOne()).toBe(TRIPO);
    // ...and can be given back to the rule.
    await first.dispatch('settings:set', { defaultModelChosen: false });
    expect(await first.addOne()).toBe(RELIEF);
  });

  it('a settings file from before keeps a generator other than the old default as a choice', () => {
    expect(loadSettings({ defaultModel: TRELLIS }, 1).settings).toMatchObject({ defaultModel: TRELLIS, defaultModelChosen: true });
    expect(loadSettings({ defaultModel: RELIEF }, 1).settings).toMatchObject({ defaultModel: RELIEF, defaultModelChosen: true });
    // Every file held the old default, chosen or not: it follows the key from now on.
    expect(loadSettings({ defaultModel: TRIPO }, 1).settings).toMatchObject({ defaultModelChosen: false });
    expect(loadSettings(undefined, 0).settings).toMatchObject({ defaultModelChosen: false });
  });
});
