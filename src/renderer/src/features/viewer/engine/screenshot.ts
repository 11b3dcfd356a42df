// Screenshot to PNG: the WebGL canvas keeps no drawing buffer between frames, so the caller renders
// and this copies the pixels in the same task, over the same backdrop the user sees (read from the
// viewer's CSS custom properties), then hands the PNG to the browser as a download.

/** Backdrop colours the stylesheet exposes: `--mv-backdrop-center` and `--mv-backdrop-edge`. */
function backdropColors(element: Element): { center: string; edge: string } {
  const style = getComputedStyle(element);
  const center = style.getPropertyValue('--mv-backdrop-center').trim() || '#2a2f38';
  const edge = style.getPropertyValue('--mv-backdrop-edge').trim() || center;
  return { center, edge };
}

/** Must be called right after a render, before control returns to the browser. */
export function composeScreenshot(source: HTMLCanvasElement, backdropOf: Element): HTMLCanvasElement {
  const { width, height } = source;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('The screenshot could not be drawn (no 2D canvas)');
  const { center, edge } = backdropColors(backdropOf);
  // Same geometry as the stylesheet's `radial-gradient(circle farthest-corner at 50% 42%, …)`.
  const cx = width / 2;
  const cy = height * 0.42;
  const gradient = context.createRadialGradient(cx, cy, 0, cx, cy, Math.hypot(width - cx, height - cy));
  gradient.addColorStop(0, center);
  gradient.addColorStop(1, edge);
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  context.drawImage(source, 0, 0);
  return canvas;
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The screenshot could not be encoded'))), 'image/png');
  });
}

/** A file name without characters that file systems refuse. */
export function screenshotFileName(modelName: string | undefined): string {
  const base = (modelName ?? 'model').replace(/\.(glb|gltf)$/i, '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim();
  return `${base || 'model'}.png`;
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own copy once started; give it a moment before revoking.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
