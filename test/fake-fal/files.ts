// The fake CDN: uploaded inputs (initiate + PUT, or multipart) and generated outputs, served back
// by URL. Uploads remember their sha256 so submissions can be counted per input image.
import { createHash, randomUUID } from 'node:crypto';

export interface StoredFile {
  id: string;
  kind: 'upload' | 'output';
  fileName: string;
  contentType: string;
  /** Undefined until the upload PUT (or multipart complete) arrives. */
  bytes?: Buffer;
  sha256?: string;
  parts: Map<number, Buffer>;
  /** Answers 404 (expired CDN object). */
  expired: boolean;
  /** Output files: which request produced them. */
  requestId?: string;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  constructor(private readonly baseUrl: () => string) {}

  /** Storage initiate: reserve an id; the client PUTs the bytes to `uploadUrl`. */
  initiate(contentType: string, fileName: string): { uploadUrl: string; fileUrl: string; file: StoredFile } {
    const file = this.create('upload', contentType, fileName);
    return { uploadUrl: `${this.baseUrl()}/upload/${file.id}`, fileUrl: this.urlOf(file), file };
  }

  addOutput(bytes: Uint8Array, contentType: string, fileName: string, requestId: string): StoredFile {
    const file = this.create('output', contentType, fileName);
    this.setBytes(file, Buffer.from(bytes));
    file.requestId = requestId;
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  all(): StoredFile[] {
    return [...this.files.values()];
  }

  setBytes(file: StoredFile, bytes: Buffer): void {
    file.bytes = bytes;
    file.sha256 = sha256Hex(bytes);
  }

  /** Multipart: store one part; answers the etag the client echoes back on complete. */
  putPart(file: StoredFile, partNumber: number, bytes: Buffer): string {
    file.parts.set(partNumber, bytes);
    return sha256Hex(bytes).slice(0, 32);
  }

  completeMultipart(file: StoredFile, partNumbers: number[]): boolean {
    const chunks = partNumbers.map((n) => file.parts.get(n));
    if (chunks.some((c) => c === undefined)) return false;
    this.setBytes(file, Buffer.concat(chunks as Buffer[]));
    file.parts.clear();
    return true;
  }

  urlOf(file: StoredFile): string {
    return `${this.baseUrl()}/files/${file.id}/${encodeURIComponent(file.fileName)}`;
  }

  /** The stored upload a URL points at, if it is one of ours. */
  fromUrl(url: string): StoredFile | undefined {
    if (!url.startsWith(`${this.baseUrl()}/files/`)) return undefined;
    const id = new URL(url).pathname.split('/')[2];
    return id ? this.files.get(id) : undefined;
  }

  private create(kind: StoredFile['kind'], contentType: string, fileName: string): StoredFile {
    const file: StoredFile = {
      id: randomUUID().replaceAll('-', ''),
      kind,
      fileName: fileName || 'file.bin',
      contentType: contentType || 'application/octet-stream',
      parts: new Map(),
      expired: false,
    };
    this.files.set(file.id, file);
    return file;
  }
}
