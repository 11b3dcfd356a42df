// The "not an image" message said "Use a PNG, JPEG or WebP image" while GIF and AVIF were accepted
// too: a second copy of the list, out of step with the one the intake checks by. The message now
// comes from that one list (shared/image-formats.ts), and every format on it is really accepted.
import { describe, expect, it } from 'vitest';
import { isImageName } from '../../../src/core/images/folder';
import { sniffImageKind } from '../../../src/core/images/sniff';
import { ACCEPTED_IMAGE_FORMATS, ACCEPTED_IMAGE_NAMES } from '../../../src/shared/image-formats';
import { pdfLike, solid } from './fixtures';

describe('the accepted image formats', () => {
  it('the "not an image" message names every format the intake accepts', async () => {
    const refused = await sniffImageKind(pdfLike(), 'notes.pdf');
    expect(refused).toEqual({ ok: false, reason: 'notes.pdf is a PDF document, not an image. Use a PNG, JPEG, WebP, GIF or AVIF image.' });
    for (const format of ACCEPTED_IMAGE_FORMATS) expect(ACCEPTED_IMAGE_NAMES).toContain(format.label);
  });

  it('every format on the list is accepted by content and by name', async () => {
    for (const format of ACCEPTED_IMAGE_FORMATS) {
      const encode = solid(16, 16, { r: 200, g: 80, b: 40, alpha: 1 });
      const bytes = await (format.kind === 'jpeg' ? encode.jpeg() : encode[format.kind]()).toBuffer();
      expect(await sniffImageKind(bytes, `photo.${format.extensions[0]}`), format.label).toEqual({ ok: true, kind: format.kind });
      for (const ext of format.extensions) expect(isImageName(`photo.${ext.toUpperCase()}`), ext).toBe(true);
    }
  });
});
