/** Input side: check, orient, strip, downscale and store images before anything is uploaded. */
export { DEFAULT_INPUT_LIMITS, type InputLimits } from './limits';
export { checkImageFile, type InputCheck } from './check';
export { prepareInput, prepareInputBytes, type JpegEncoding, type PreparedInput, type PrepareResult } from './prepare';
export { listImagesInFolder } from './folder';
export type { AcceptedKind } from './sniff';
export { warmUpImages } from './warm-up';
