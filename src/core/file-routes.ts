// Maps `<kind>/<id>` to a file the renderer may load (a model, its preview, a job's input image).
// Both the Electron protocol and the browser bridge use this: URLs carry ids, never paths.
import { extname } from 'node:path';
import { SampleIdSchema } from '../shared/samples';
import { isIntactPreview } from './library/preview-check';
import { sampleFilePath } from './samples/handlers';
import type { EngineApi } from './services-types';

export type FileKind = 'model' | 'preview' | 'input' | 'sample';

const MIME_BY_EXT: Record<string, string> = {
  '.glb': 'model/gltf-binary',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export interface ResolvedFile {
  path: string;
  mime: string;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** Parses `model/<id>` style routes; anything else (dots, slashes, encodings) is refused. */
export function parseFileRoute(route: string): { kind: FileKind; id: string } | null {
  const match = /^(model|preview|input|sample)\/([^/]+)$/.exec(route);
  if (!match) return null;
  const id = match[2]!;
  if (!ID_PATTERN.test(id)) return null;
  return { kind: match[1] as FileKind, id };
}

/** `samplesDir`: where the shipped sample photos are (`sample/<id>`, ids from the catalog only). */
export function resolveFileRoute(engine: EngineApi, route: string, samplesDir: string | null = null): ResolvedFile | null {
  const parsed = parseFileRoute(route);
  if (!parsed) return null;
  const path = filePathFor(engine, parsed, samplesDir);
  if (!path) return null;
  return { path, mime: MIME_BY_EXT[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

function filePathFor(engine: EngineApi, { kind, id }: { kind: FileKind; id: string }, samplesDir: string | null): string | null {
  switch (kind) {
    case 'model':
      return engine.library.filePath(id);
    case 'preview': {
      // A damaged preview (stored unsynced, cut short by a power cut) is not found: the card shows the source photo.
      const path = engine.library.previewPath(id);
      return path && isIntactPreview(path) ? path : null;
    }
    case 'input':
      return engine.inputPath(id);
    case 'sample': {
      const sample = SampleIdSchema.safeParse(id);
      return sample.success ? sampleFilePath(samplesDir, sample.data) : null;
    }
  }
}
