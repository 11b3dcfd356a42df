import { fileTypeFromBuffer, type FileTypeResult } from 'file-type';
import { ACCEPTED_IMAGE_FORMATS, ACCEPTED_IMAGE_NAMES, type AcceptedKind } from '../../shared/image-formats';

export type { AcceptedKind } from '../../shared/image-formats';

/** How much of the file head to hand file-type; enough for every signature it knows. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

const ACCEPTED_BY_MIME: Readonly<Record<string, AcceptedKind>> = Object.fromEntries(
  ACCEPTED_IMAGE_FORMATS.flatMap((format) => format.mimes.map((mime) => [mime, format.kind])),
);

/** Image formats people commonly try that we can't decode: named so the message can say what they are. */
const UNSUPPORTED_IMAGES: Record<string, string> = {
  heic: 'a HEIC image',
  heif: 'a HEIF image',
  tif: 'a TIFF image',
  bmp: 'a BMP image',
  ico: 'an icon file (ICO)',
  icns: 'an icon file (ICNS)',
  psd: 'a Photoshop document (PSD)',
  jxl: 'a JPEG XL image',
  jp2: 'a JPEG 2000 image',
  jpx: 'a JPEG 2000 image',
  cr2: 'a camera RAW file',
  cr3: 'a camera RAW file',
  nef: 'a camera RAW file',
  arw: 'a camera RAW file',
  dng: 'a camera RAW file',
  orf: 'a camera RAW file',
  rw2: 'a camera RAW file',
  raf: 'a camera RAW file',
};

/** Non-image formats with a friendlier name than their extension. */
const OTHER_FORMATS: Record<string, string> = {
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  docx: 'a Word document',
  xlsx: 'an Excel spreadsheet',
  pptx: 'a PowerPoint presentation',
  mp4: 'a video',
  mov: 'a video',
  webm: 'a video',
  mkv: 'a video',
  mp3: 'an audio file',
  wav: 'an audio file',
  glb: 'a 3D model (GLB)',
  xml: 'an XML file',
};

const USE_INSTEAD = `Use a ${ACCEPTED_IMAGE_NAMES} image.`;

export type SniffResult = { ok: true; kind: AcceptedKind } | { ok: false; reason: string };

/** Decide from the content of the file's head (never its name) whether it is an image we accept. */
export async function sniffImageKind(head: Uint8Array, name: string): Promise<SniffResult> {
  const detected = await fileTypeFromBuffer(head);
  if (detected?.ext === 'xml' && mentionsSvg(head)) return { ok: false, reason: svgReason(name) };
  if (detected) {
    const kind = ACCEPTED_BY_MIME[detected.mime];
    if (kind) return { ok: true, kind };
    return { ok: false, reason: explainDetected(detected, name) };
  }
  return { ok: false, reason: explainUndetected(head, name) };
}

function explainDetected(detected: FileTypeResult, name: string): string {
  const unsupported = UNSUPPORTED_IMAGES[detected.ext];
  if (unsupported) {
    return `${name} is ${unsupported}, which isn't supported yet. Export it as JPEG or PNG first.`;
  }
  if (detected.mime.startsWith('image/')) {
    return `${name} is a .${detected.ext} image, which isn't supported yet. Export it as JPEG or PNG first.`;
  }
  const what =
    OTHER_FORMATS[detected.ext] ??
    (detected.mime.startsWith('video/') ? 'a video'
      : detected.mime.startsWith('audio/') ? 'an audio file'
        : `a .${detected.ext} file`);
  return `${name} is ${what}, not an image. ${USE_INSTEAD}`;
}

/** file-type knows few text formats (it calls SVG "xml" at best), so tell SVG and plain text apart ourselves. */
function explainUndetected(head: Uint8Array, name: string): string {
  if (looksLikeText(head)) {
    if (mentionsSvg(head)) return svgReason(name);
    return `${name} is a text file, not an image. ${USE_INSTEAD}`;
  }
  return `${name} is not a recognised image file. ${USE_INSTEAD}`;
}

function mentionsSvg(head: Uint8Array): boolean {
  return new TextDecoder().decode(head.subarray(0, 4096)).toLowerCase().includes('<svg');
}

function svgReason(name: string): string {
  return `${name} is an SVG drawing, which isn't supported yet. Export it as PNG first.`;
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  if (sample.length === 0) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    // Tab, LF, CR and form feed are normal in text; other C0 controls are not.
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control++;
  }
  return control / sample.length < 0.02;
}
