// Page-side helpers shared by the end-to-end tests: dropping files the way a browser does, and
// reading the 3D viewer's pixels back.
import type { Locator, Page } from '@playwright/test';

export interface DropFile {
  name: string;
  mime: string;
  bytes: Buffer | Uint8Array;
}

/** Dispatches dragenter + drop with a real DataTransfer holding these files (as a file manager would). */
export async function dropFiles(page: Page, target: Locator, files: DropFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64') }));
  await target.evaluate((element, list) => {
    const data = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], f.name, { type: f.mime }));
    }
    element.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
    element.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    element.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, payload);
}

/**
 * Share of the viewer canvas's pixels that the last render drew (the canvas is transparent over a
 * CSS backdrop, so untouched pixels have alpha 0). Read back through a 2D canvas. The WebGL canvas
 * does not preserve its drawing buffer, so the viewer must be rendering continuously (auto-rotate):
 * this animation-frame callback then runs right after the viewer's render in the same frame.
 */
export async function drawnPixelShare(page: Page): Promise<number> {
  return page.locator('.mv-viewport canvas').evaluate(async (canvas: HTMLCanvasElement) => {
    // Read right after a frame is presented, while the drawing buffer still holds it.
    await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d')!;
    context.drawImage(canvas, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
    return drawn / (copy.width * copy.height);
  });
}
