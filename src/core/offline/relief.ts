// "Relief (offline)": a keyless generator that turns one image into a closed, textured relief GLB.
// It is honest about being an approximation: an extruded, bulged outline with the photo on the front.
import { padBackground } from './edge-padding';
import { writeReliefGlb } from './glb';
import { computeHeights } from './heightfield';
import { decodeInput } from './image-input';
import { computeMask } from './mask';
import { buildReliefMesh } from './mesh';
import { encodePhoto, subjectColour } from './texture';

export { ReliefInputError } from './image-input';
export { RELIEF_GENERATOR } from './glb';

export interface ReliefOptions {
  /** Samples along the image's long side (default 160, 4..1024). */
  gridResolution?: number;
  /** Relief depth as a share of the subject's width (default 0.15, 0..2). */
  depthScale?: number;
  /** Long side of the embedded photo in pixels, never enlarged (default 1024, 16..8192). */
  textureMaxSide?: number;
  onProgress?: (fraction: number, message: string) => void;
}

export interface ReliefResult {
  glb: Uint8Array;
  triangles: number;
  vertices: number;
}

export const RELIEF_DESCRIPTION =
  'Relief approximation made offline from a single image, not an AI 3D reconstruction. ' +
  "The subject's outline is extruded and given a pillow-like depth guessed from the distance to the outline " +
  'and the brightness of the photo; the photo is projected onto the front, the back is flat and hidden sides are not recovered.';

export async function generateRelief(image: string | Uint8Array, opts: ReliefOptions = {}): Promise<ReliefResult> {
  const gridResolution = option('gridResolution', opts.gridResolution, 160, 4, 1024, true);
  const depthScale = option('depthScale', opts.depthScale, 0.15, 0, 2, false);
  const textureMaxSide = option('textureMaxSide', opts.textureMaxSide, 1024, 16, 8192, true);
  const progress = opts.onProgress ?? (() => {});

  progress(0, 'Reading the image');
  const input = await decodeInput(image, textureMaxSide, gridResolution);

  progress(0.25, 'Finding the subject');
  const mask = computeMask(input.grid);

  progress(0.4, 'Shaping the relief');
  const heights = computeHeights(input.grid, mask);
  const mesh = buildReliefMesh(mask, heights, { imageWidth: input.photo.width, imageHeight: input.photo.height, depthScale });

  progress(0.6, 'Preparing the texture');
  const photo = await encodePhoto(padBackground(input.photo, mask), mask.source === 'alpha');

  progress(0.8, 'Writing the GLB');
  const glb = await writeReliefGlb({
    mesh,
    photo,
    shellColour: subjectColour(input.grid, mask),
    extras: {
      description: RELIEF_DESCRIPTION,
      method: 'relief',
      outlineSource: mask.source,
      gridResolution,
      depthScale,
    },
  });

  const triangles = (mesh.front.indices.length + mesh.shell.indices.length) / 3;
  const vertices = (mesh.front.positions.length + mesh.shell.positions.length) / 3;
  progress(1, 'Done');
  return { glb, triangles, vertices };
}

function option(name: string, value: number | undefined, fallback: number, min: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`Relief option ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${value}.`);
  }
  return value;
}

/** Name the app shows for this provider. */
export const RELIEF_PROVIDER_NAME = 'Relief (offline)';
