// Turns what the user dropped or pasted into files and folders the app can take.
// In a browser, folders are walked with the File System entries API (webkitGetAsEntry); in Electron,
// a folder is handed over by path and the app walks it itself.

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|avif|heic|heif|bmp|tiff?)$/i;
const MAX_FILES = 10_000;

export interface CollectedInput {
  /** Files to hand over (by path in Electron when possible, otherwise by bytes). */
  files: File[];
  /** Folder paths (Electron only): the app lists their images itself. */
  folderPaths: string[];
  /** Files inside folders that are not images (silently left out, counted for the summary). */
  skipped: number;
}

export function pathOf(file: File): string | null {
  try {
    return window.desktop?.pathForFile(file) || null;
  } catch {
    return null;
  }
}

export function looksLikeImage(name: string): boolean {
  return IMAGE_EXTENSIONS.test(name);
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries hands out at most ~100 entries per call; keep asking until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

async function walkFolder(folder: FileSystemDirectoryEntry, out: CollectedInput): Promise<void> {
  const entries = (await readAllEntries(folder.createReader())).sort((a, b) => byName.compare(a.name, b.name));
  for (const entry of entries) {
    if (out.files.length >= MAX_FILES) return;
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory) {
      await walkFolder(entry as FileSystemDirectoryEntry, out);
    } else if (entry.isFile) {
      if (!looksLikeImage(entry.name)) {
        out.skipped++;
        continue;
      }
      out.files.push(await fileOf(entry as FileSystemFileEntry));
    }
  }
}

/**
 * Reads a drop. Must be called synchronously inside the drop handler: DataTransfer items are only
 * readable during the event, so entries are taken before the first await.
 */
export function collectFromDataTransfer(data: DataTransfer): Promise<CollectedInput> {
  const taken = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  // Some sources (synthetic events, older shells) fill only .files.
  if (taken.length === 0) {
    for (const file of Array.from(data.files)) taken.push({ entry: null, file });
  }
  return (async () => {
    const out: CollectedInput = { files: [], folderPaths: [], skipped: 0 };
    for (const { entry, file } of taken) {
      if (entry?.isDirectory) {
        const folderPath = file ? pathOf(file) : null;
        if (folderPath) out.folderPaths.push(folderPath);
        else await walkFolder(entry as FileSystemDirectoryEntry, out);
      } else if (file) {
        out.files.push(file);
      }
    }
    return out;
  })();
}

/** Image files from a paste event (screenshots, copied images, copied files). */
export function collectFromClipboard(data: DataTransfer): File[] {
  const files = Array.from(data.files);
  if (files.length > 0) return files;
  return Array.from(data.items)
    .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}

/** Clipboard images read through the async Clipboard API (menu "Paste images"). */
export async function readClipboardImages(): Promise<File[]> {
  if (!navigator.clipboard?.read) return [];
  const items = await navigator.clipboard.read();
  const files: File[] = [];
  for (const item of items) {
    const type = item.types.find((t) => t.startsWith('image/'));
    if (!type) continue;
    const blob = await item.getType(type);
    files.push(new File([blob], `image.${type.split('/')[1] ?? 'png'}`, { type }));
  }
  return files;
}

/** A readable, unique-enough name for a pasted image ("Pasted image 14.03.22.png"). */
export function namePasted(file: File, index: number): File {
  const generic = /^image\.\w+$/i.test(file.name) || !file.name;
  if (!generic) return file;
  const ext = (file.type.split('/')[1] ?? 'png').replace('jpeg', 'jpg');
  const time = new Date().toTimeString().slice(0, 8).replaceAll(':', '.');
  const suffix = index > 0 ? ` (${index + 1})` : '';
  return new File([file], `Pasted image ${time}${suffix}.${ext}`, { type: file.type });
}
