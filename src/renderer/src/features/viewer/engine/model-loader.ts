// Fetches and parses one model with cancellation: an aborted load rejects with an AbortError and
// anything it had already built is disposed, so a stale load never reaches the scene.
import { LoadingManager, type Object3D, type WebGLRenderer } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { ModelStats } from '../../../../../shared/domain';
import { canTranscodeKtx2, createDecoders, KTX2_BLOCKED_MESSAGE, loadMeshoptDecoder, type Decoders } from './decoders';
import { disposeObject } from './dispose';
import { extensionsUsed } from './gltf-extensions';
import { computeModelStats } from './stats';

export interface LoadedModel {
  root: Object3D;
  stats: ModelStats;
}

export class LoadCanceledError extends Error {
  constructor() {
    super('The load was replaced by a newer one');
    this.name = 'AbortError';
  }
}

export function isCanceled(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new LoadCanceledError();
}

/** Models must be self-contained: anything but embedded data is never fetched. */
function embeddedOnly(url: string): string {
  return /^(data|blob):/i.test(url) ? url : 'data:application/octet-stream;base64,';
}

async function fetchBytes(url: string, signal: AbortSignal): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal.aborted) throw new LoadCanceledError();
    throw new Error(`The model could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new Error(`The model could not be read (HTTP ${response.status})`);
  return response.arrayBuffer();
}

export class ModelLoader {
  private readonly decoders: Decoders;
  private readonly gltf: GLTFLoader;

  constructor(renderer: WebGLRenderer) {
    const manager = new LoadingManager();
    manager.setURLModifier(embeddedOnly);
    this.decoders = createDecoders(renderer);
    this.gltf = new GLTFLoader(manager).setDRACOLoader(this.decoders.draco).setKTX2Loader(this.decoders.ktx2);
  }

  async load(url: string, signal: AbortSignal): Promise<LoadedModel> {
    const bytes = await fetchBytes(url, signal);
    throwIfAborted(signal);
    const extensions = extensionsUsed(bytes);
    if (extensions.has('KHR_texture_basisu') && !canTranscodeKtx2()) throw new Error(KTX2_BLOCKED_MESSAGE);
    if (extensions.has('EXT_meshopt_compression')) this.gltf.setMeshoptDecoder(await loadMeshoptDecoder());
    throwIfAborted(signal);
    let parsed;
    try {
      parsed = await this.gltf.parseAsync(bytes, '');
    } catch (error) {
      throwIfAborted(signal);
      throw new Error(`This file could not be opened as a glTF model: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (signal.aborted) {
      disposeObject(parsed.scene);
      throw new LoadCanceledError();
    }
    const stats = computeModelStats(parsed.scene, parsed.parser, bytes.byteLength);
    return { root: parsed.scene, stats };
  }

  dispose(): void {
    this.decoders.dispose();
  }
}
