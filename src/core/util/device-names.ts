// Windows keeps some names for devices, whatever the extension and folder: "CON.glb" or "nul.photo.glb"
// is the console or the null device, not a file - a model written there is lost.

/** A device name before the first dot ("con", "nul.photo", "aux "), as Windows reads it. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\s*(\..*)?$/i;

/** `stem`, or `_stem` when Windows would take a file named from it for a device. */
export function notADevice(stem: string): string {
  return WINDOWS_DEVICE.test(stem) ? `_${stem}` : stem;
}
