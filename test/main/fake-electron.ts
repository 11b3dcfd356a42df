// A stand-in for the `electron` module, for main-process tests under Node (the Electron binary cannot
// run here). Use it from a test file with:
//   vi.mock('electron', async () => (await import('./fake-electron')).electronModule());
// and import `fake` from './fake-electron' to script and inspect it (same module instance).
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/** safeStorage that really transforms the bytes and fails like Electron when the keyring changed. */
export const safeStorageState = {
  available: true,
  backend: 'gnome_libsecret',
  /** Stands for the OS keyring's secret; changing it makes older ciphertexts undecryptable. */
  keyringSecret: 'keyring-secret-1',
};

const tagOf = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 8);
const xor = (bytes: Buffer, secret: string) => {
  const pad = createHash('sha256').update(`pad:${secret}`).digest();
  return Buffer.from(bytes.map((b, i) => b ^ pad[i % pad.length]!));
};

export const fakeSafeStorage = {
  isEncryptionAvailable: vi.fn(() => safeStorageState.available),
  getSelectedStorageBackend: vi.fn(() => safeStorageState.backend),
  encryptString: vi.fn((plain: string) => {
    if (!safeStorageState.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from(`v10${tagOf(safeStorageState.keyringSecret)}`), xor(Buffer.from(plain, 'utf8'), safeStorageState.keyringSecret)]);
  }),
  decryptString: vi.fn((encrypted: Buffer) => {
    const header = `v10${tagOf(safeStorageState.keyringSecret)}`;
    if (!safeStorageState.available || encrypted.subarray(0, header.length).toString() !== header) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    return xor(encrypted.subarray(header.length), safeStorageState.keyringSecret).toString('utf8');
  }),
};

/** A WebContents with the event and window-open surface lockDownContents uses. */
export class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  startDrag = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  /** Emits an Electron-style event (`eventProps` merged into the event) and reports whether a listener called preventDefault(). */
  fire(name: string, eventProps: object, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { ...eventProps, preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.created.filter((w) => !w.destroyed);
  webContents = new FakeWebContents();
  destroyed = false;
  loadedUrl: string | null = null;
  progress: number | null = null;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  setProgressBar(value: number) {
    this.progress = value;
  }
  maximize = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = () => false;
  isMaximized = () => false;
  isFullScreen = () => false;
  getNormalBounds = () => ({ x: this.options.x as number, y: this.options.y as number, width: this.options.width as number, height: this.options.height as number });
}

export class FakeSession extends EventEmitter {
  beforeRequest: { filter: { urls: string[] }; listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void } | null = null;
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: NonNullable<FakeSession['beforeRequest']>['listener']) => {
      this.beforeRequest = { filter, listener };
    },
  };
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  displayMediaRequestHandler: ((request: unknown, callback: (streams: object) => void) => void) | null = null;
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']) {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: FakeSession['displayMediaRequestHandler']) {
    this.displayMediaRequestHandler = handler;
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static isSupported = () => true;
  constructor(public options: { title: string; body: string }) {
    super();
  }
  show() {
    FakeNotification.shown.push(this);
  }
}

const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
/** ipcMain.on listeners by channel (the last one registered). */
const ipcListeners = new Map<string, (...args: unknown[]) => unknown>();

const paths = new Map<string, string>();
const appHandlers = new Map<string, Listener[]>();

export const fake = {
  safeStorage: safeStorageState,
  ipcHandlers,
  ipcListeners,
  appHandlers,
  defaultSession: new FakeSession(),
  app: {
    isPackaged: false,
    appPath: '/fake/app',
    getPath: vi.fn((name: string) => paths.get(name) ?? `/fake/${name}`),
    setPath: vi.fn((name: string, value: string) => void paths.set(name, value)),
    getVersion: () => '0.0.0-test',
    getAppPath: () => fake.app.appPath,
    setBadgeCount: vi.fn(),
    dock: { setBadge: vi.fn() },
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => Promise.resolve()),
    quit: vi.fn(),
    exit: vi.fn(),
    on: vi.fn((event: string, listener: Listener) => {
      appHandlers.set(event, [...(appHandlers.get(event) ?? []), listener]);
    }),
    /** Calls the app's handlers for `event` like Electron would. */
    emit(event: string, ...args: unknown[]) {
      for (const listener of appHandlers.get(event) ?? []) listener(...args);
    },
  },
  shell: {
    openExternal: vi.fn(async (_url: string) => {}),
    showItemInFolder: vi.fn(),
    openPath: vi.fn(async (_path: string) => ''),
  },
  menu: { template: null as unknown, setApplicationMenu: vi.fn() },
  /** Emits 'shutdown' as Electron does on Linux and macOS when the machine shuts down. */
  powerMonitor: new EventEmitter(),
};

export function electronModule(): Record<string, unknown> {
  const mod = {
    app: fake.app,
    safeStorage: fakeSafeStorage,
    ipcMain: {
      handle: vi.fn((channel: string, listener: (...args: unknown[]) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, listener);
      }),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
      on: vi.fn((channel: string, listener: (...args: unknown[]) => unknown) => ipcListeners.set(channel, listener)),
      removeListener: vi.fn((channel: string) => ipcListeners.delete(channel)),
    },
    shell: fake.shell,
    powerMonitor: fake.powerMonitor,
    session: { defaultSession: fake.defaultSession },
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => {
        fake.menu.template = template;
        return { template };
      }),
      setApplicationMenu: fake.menu.setApplicationMenu,
    },
    nativeImage: {
      createFromPath: vi.fn((path: string) => ({ path, isEmpty: () => false })),
      createFromDataURL: vi.fn((url: string) => ({ url, isEmpty: () => false })),
    },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showErrorBox: vi.fn(), showMessageBox: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    screen: { getAllDisplays: vi.fn(() => []), getPrimaryDisplay: vi.fn(() => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } })) },
  };
  return { ...mod, default: mod };
}
