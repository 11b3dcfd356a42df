// Maps `<kind>/<id>` to a file the renderer may load (a model, its preview, a job's input image).
// Both the Electron protocol and the browser bridge use this: URLs carry ids, never paths.
import { extname } from 'node:path';
import type { EngineApi } from './services-types';

export type FileKind = 'model' | 'preview' | 'input';

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
  const match = /^(model|preview|input)\/([^/]+)$/.exec(route);
  if (!match) return null;
  const id = match[2]!;
  if (!ID_PATTERN.test(id)) return null;
  return { kind: match[1] as FileKind, id };
}

export function resolveFileRoute(engine: EngineApi, route: string): ResolvedFile | null {
  const parsed = parseFileRoute(route);
  if (!parsed) return null;
  const path =
    parsed.kind === 'model'
      ? engine.library.filePath(parsed.id)
      : parsed.kind === 'preview'
        ? engine.library.previewPath(parsed.id)
        : engine.inputPath(parsed.id);
  if (!path) return null;
  return { path, mime: MIME_BY_EXT[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}
