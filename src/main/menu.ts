// The application menu: standard roles (so copy/paste, undo, zoom and window shortcuts behave natively)
// plus the app's own commands, which go to the renderer as 'app:command' events.
import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The 'app:command' commands the menu sends (paste stays the native edit role). */
export type MenuCommand = 'open-images' | 'export-model' | 'open-settings';

export interface MenuOptions {
  isMac: boolean;
  /** Development builds get reload and developer tools; packaged builds do not. */
  isDev: boolean;
  appName: string;
  command(command: MenuCommand): void;
  /** Opens a help link in the browser (through the https allowlist). */
  openLink(url: string): void;
}

export const HELP_LINKS = {
  keys: 'https://fal.ai/dashboard/keys',
  docs: 'https://docs.fal.ai',
} as const;

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { isMac, command } = options;
  const settingsItem: MenuItemConstructorOptions = {
    label: isMac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => command('open-settings'),
  };
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Images…', accelerator: 'CmdOrCtrl+O', click: () => command('open-images') },
      { label: 'Export Model…', accelerator: 'CmdOrCtrl+E', click: () => command('export-model') },
      ...(isMac ? [] : [{ type: 'separator' } as const, settingsItem]),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(options.isDev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Get a FAL API Key', click: () => options.openLink(HELP_LINKS.keys) },
      { label: 'FAL Documentation', click: () => options.openLink(HELP_LINKS.docs) },
    ],
  };
  const macAppMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      settingsItem,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  // The edit role keeps Cmd/Ctrl+V as the native paste: the renderer reads pasted images from the event.
  return [...(isMac ? [macAppMenu] : []), fileMenu, { role: 'editMenu' }, viewMenu, { role: 'windowMenu' }, helpMenu];
}

export function installAppMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
