// What the first photo of a session would otherwise wait for: loading sharp (libvips and its codecs)
// and its first pipeline. Run once in the background after the app's engine starts, so a drop soon
// after launch is prepared at once (in the queue bench the first job left ~0.2 s after the drop,
// most of it this load).
import sharp from 'sharp';

/** Decodes a tiny PNG and encodes it as a JPEG in memory, as preparing a photo does; writes nothing. */
export async function warmUpImages(): Promise<void> {
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .png()
    .toBuffer();
  await sharp(png).metadata();
  await sharp(png).autoOrient().resize(1, 1, { fit: 'inside' }).toColourspace('srgb').jpeg({ quality: 92, optimiseCoding: true }).toBuffer();
}
