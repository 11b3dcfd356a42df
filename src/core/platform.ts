// Capabilities that only a desktop shell has. Electron implements them in src/main/platform.ts; the
// headless version below serves the browser transport, the CLI and tests.
import type { ExportFormat } from './services-types';

/** What the user is asked before FAL calls go through a proxy (host named; key or no key). */
export interface ProxyConfirmRequest {
  /** The proxy address, already checked (https, or http to this computer). */
  url: string;
  /** host[:port], the part the user must recognize. */
  host: string;
  /** Whether the FAL key would be sent to it as well. */
  sendKey: boolean;
}

export interface Platform {
  readonly kind: 'electron' | 'headless';
  /** Lets the user pick images; resolves to absolute paths (empty when canceled). */
  chooseImages(): Promise<string[]>;
  /** Asks where to save an export; null when canceled. */
  chooseSavePath(defaultName: string, format: ExportFormat): Promise<string | null>;
  /** Lets the user pick (or make) a folder (for exports unless `title` says what for), starting at `startIn`; null when canceled. */
  chooseFolder(startIn?: string, title?: string): Promise<string | null>;
  revealInFolder(path: string): Promise<void>;
  openWithDefaultApp(path: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  /** Starts dragging a file out of the window (desktop only). */
  startDrag(path: string): Promise<void>;
  notify(title: string, body: string, onClick?: () => void): void;
  /** Taskbar/dock progress: fraction 0..1, or null to clear. */
  setProgress(fraction: number | null, running: number): void;
  /**
   * Asks the user, outside the page, whether FAL calls may go through this proxy (and carry the key).
   * Only a true answer changes where the key goes.
   */
  confirmProxy(request: ProxyConfirmRequest): Promise<boolean>;
}

export interface HeadlessPlatformOptions {
  /** What chooseImages returns (tests script it). */
  pickedImages?: () => string[];
  /** Where exports are written when no dialog exists; also the folder "chosen" when asked for one. */
  exportDir?: string;
  /** What chooseFolder returns (tests script it); default exportDir, else null (canceled). */
  pickedFolder?: () => string | null;
  log?: (line: string) => void;
  /**
   * Answers proxy confirmations. There is no dialog without a window, so by default every change is
   * refused: the CLI and the browser transport take their proxy from the command line or environment.
   */
  confirmProxy?: (request: ProxyConfirmRequest) => boolean | Promise<boolean>;
}

/** No windows, no dialogs: choices come from options, side effects are logged. */
export function createHeadlessPlatform(options: HeadlessPlatformOptions = {}): Platform & { calls: string[] } {
  const calls: string[] = [];
  const record = (line: string) => {
    calls.push(line);
    options.log?.(line);
  };
  return {
    kind: 'headless',
    calls,
    chooseImages: async () => options.pickedImages?.() ?? [],
    chooseSavePath: async (defaultName) => {
      if (!options.exportDir) return null;
      const { extname, basename } = await import('node:path');
      const { mkdir } = await import('node:fs/promises');
      const { freeExportPath } = await import('./auto-export');
      await mkdir(options.exportDir, { recursive: true });
      const ext = extname(defaultName);
      return freeExportPath(options.exportDir, basename(defaultName, ext), ext.slice(1) || 'glb');
    },
    chooseFolder: async () => {
      const folder = options.pickedFolder ? options.pickedFolder() : (options.exportDir ?? null);
      record(`chooseFolder ${folder ?? 'canceled'}`);
      return folder;
    },
    revealInFolder: async (path) => record(`reveal ${path}`),
    openWithDefaultApp: async (path) => record(`open ${path}`),
    openExternal: async (url) => record(`openExternal ${url}`),
    startDrag: async (path) => record(`drag ${path}`),
    notify: (title, body) => record(`notify ${title}: ${body}`),
    setProgress: (fraction, running) => record(`progress ${fraction === null ? 'none' : fraction.toFixed(2)} ${running}`),
    confirmProxy: async (request) => {
      const answer = (await options.confirmProxy?.(request)) ?? false;
      record(`confirmProxy ${request.host} sendKey=${request.sendKey} -> ${answer ? 'yes' : 'no'}`);
      return answer;
    },
  };
}
