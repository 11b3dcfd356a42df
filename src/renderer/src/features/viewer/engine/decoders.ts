// Draco, KTX2 (Basis) and Meshopt decoders, all shipped with the app. three locates the Draco and
// Basis files with `new URL('../libs/…', import.meta.url)`, which Vite turns into same-origin assets
// (hashed files next to the viewer chunk in a build, /@fs paths in dev); Meshopt is a JS module with
// its WebAssembly inlined, split into its own chunk and imported only when a file uses it.
import type { WebGLRenderer } from 'three';
import { DRACO_GLTF_CONFIG, DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import type { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';

type MeshoptDecoder = Parameters<GLTFLoader['setMeshoptDecoder']>[0];

let meshopt: Promise<MeshoptDecoder> | null = null;
let stringEvaluation: boolean | null = null;

/**
 * The Basis transcoder (emscripten embind) builds functions from strings, which a CSP without
 * 'unsafe-eval' forbids; its worker inherits the page's policy and would die silently, leaving the
 * load hanging. Probed once (a refused probe logs one CSP report), only for files with KTX2 textures.
 */
export function canTranscodeKtx2(): boolean {
  if (stringEvaluation === null) {
    try {
      stringEvaluation = new Function('return true')() === true;
    } catch {
      stringEvaluation = false;
    }
  }
  return stringEvaluation;
}

export const KTX2_BLOCKED_MESSAGE =
  "This model uses KTX2 (Basis Universal) textures, which this build cannot decode: the Basis transcoder needs 'unsafe-eval', which the app's Content-Security-Policy does not allow.";

/** Compiles the Meshopt WebAssembly once per page, on first use. */
export function loadMeshoptDecoder(): Promise<MeshoptDecoder> {
  meshopt ??= import('three/examples/jsm/libs/meshopt_decoder.module.js').then(async ({ MeshoptDecoder }) => {
    await MeshoptDecoder.ready;
    return MeshoptDecoder;
  });
  return meshopt;
}

export interface Decoders {
  draco: DRACOLoader;
  ktx2: KTX2Loader;
  /** Terminates the decoder workers and revokes their blob URLs. */
  dispose(): void;
}

/** One set per viewer: workers start lazily, on the first file that needs them. */
export function createDecoders(renderer: WebGLRenderer): Decoders {
  // The glTF-specific Draco build is smaller than the general one.
  const draco = new DRACOLoader().setDecoderPath(DRACO_GLTF_CONFIG).setWorkerLimit(2);
  const ktx2 = new KTX2Loader().setWorkerLimit(2).detectSupport(renderer);
  return {
    draco,
    ktx2,
    dispose: () => {
      draco.dispose();
      ktx2.dispose();
    },
  };
}
