// The app menu: shortcuts send the right 'app:command', paste stays native, developer items only in dev.
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { buildMenuTemplate, installAppMenu } = await import('../../src/main/menu');
const { isAllowedExternalUrl } = await import('../../src/main/external');

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function menu(isMac: boolean, isDev = false) {
  const commands: string[] = [];
  const links: string[] = [];
  const items = flatten(buildMenuTemplate({ isMac, isDev, appName: 'Image2Model', command: (c) => commands.push(c), openLink: (u) => links.push(u) }));
  const click = (accelerator: string) => {
    const item = items.find((i) => i.accelerator === accelerator);
    if (!item?.click) throw new Error(`no item for ${accelerator}`);
    (item.click as () => void)();
  };
  return { items, commands, links, click };
}

describe('application menu', () => {
  for (const isMac of [false, true]) {
    it(`maps the shortcuts to app commands (${isMac ? 'macOS' : 'Windows/Linux'})`, () => {
      const m = menu(isMac);
      m.click('CmdOrCtrl+O');
      m.click('CmdOrCtrl+E');
      m.click('CmdOrCtrl+,');
      expect(m.commands).toEqual(['open-images', 'export-model', 'open-settings']);
      // Each shortcut appears once.
      const accelerators = m.items.map((i) => i.accelerator).filter(Boolean);
      expect(new Set(accelerators).size).toBe(accelerators.length);
    });

    it(`keeps paste, copy and undo as the native edit roles (${isMac ? 'macOS' : 'Windows/Linux'})`, () => {
      const m = menu(isMac);
      expect(m.items.some((i) => i.role === 'editMenu')).toBe(true);
      expect(m.items.some((i) => i.accelerator === 'CmdOrCtrl+V')).toBe(false);
      expect(m.items.some((i) => i.role === 'windowMenu')).toBe(true);
    });
  }

  it('has a macOS app menu with Settings and Quit, and no app menu elsewhere', () => {
    const mac = menu(true);
    expect(mac.items.some((i) => i.role === 'about')).toBe(true);
    expect(mac.items.some((i) => i.role === 'quit')).toBe(true);
    const other = menu(false);
    expect(other.items.some((i) => i.role === 'about')).toBe(false);
    expect(other.items.some((i) => i.role === 'quit')).toBe(true);
  });

  it('offers reload and developer tools only in development', () => {
    const roles = (isDev: boolean) => menu(false, isDev).items.map((i) => i.role);
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('forceReload');
  });

  it('opens help links that the external allowlist accepts', () => {
    const m = menu(false);
    for (const item of m.items.filter((i) => i.label && /FAL/.test(i.label) && i.click)) (item.click as () => void)();
    expect(m.links.length).toBe(2);
    for (const url of m.links) expect(isAllowedExternalUrl(url), url).toBe(true);
  });

  it('installs the built menu as the application menu', () => {
    installAppMenu({ isMac: false, isDev: false, appName: 'Image2Model', command: () => {}, openLink: () => {} });
    expect(fake.menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    expect(Array.isArray(fake.menu.template)).toBe(true);
  });
});
