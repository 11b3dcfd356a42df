/* global window, HTMLCanvasElement, WebGLRenderingContext, WebGL2RenderingContext */
// Injected into every page the viewer benchmark times (ours, model-viewer, a minimal three.js page)
// before any of the page's own scripts run, so all three are measured by the same rule:
//
//   A frame is the batch of draw calls a page issues to a canvas's own framebuffer (not to render
//   targets) in one turn of the event loop. Right after the batch (a microtask queued by its first
//   draw), the probe reads 1 pixel back, which waits until the GPU has finished the frame, and
//   stamps performance.now() (milliseconds since navigation start). It then reads the whole frame
//   back (after the stamp, so not timed) and counts opaque pixels: the non-blank check is made on
//   the very frame that was timed. The page's own `window.__benchTag()` says what the frame showed
//   (e.g. whether environment lighting was in use); the probe stops once a lit, non-blank frame
//   has been recorded.
(() => {
  const frames = [];
  let done = false;
  window.__frameProbe = { frames: () => frames.slice(), done: () => done };

  const OPAQUE = 250; // model pixels are opaque; the canvases are transparent, grid lines translucent
  const DONE_SHARE = 0.02;

  const instrument = (gl) => {
    if (gl.__probed) return;
    gl.__probed = true;
    const isWebGL2 = typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext;
    let drawFramebuffer = null;
    let readFramebuffer = null;
    let pending = false;

    const bind = gl.bindFramebuffer.bind(gl);
    gl.bindFramebuffer = (target, framebuffer) => {
      if (target === gl.FRAMEBUFFER || (isWebGL2 && target === gl.DRAW_FRAMEBUFFER)) drawFramebuffer = framebuffer;
      if (target === gl.FRAMEBUFFER || (isWebGL2 && target === gl.READ_FRAMEBUFFER)) readFramebuffer = framebuffer;
      return bind(target, framebuffer);
    };

    const finishFrame = () => {
      pending = false;
      if (done) return;
      const readTarget = isWebGL2 ? gl.READ_FRAMEBUFFER : gl.FRAMEBUFFER;
      const packBuffer = isWebGL2 ? gl.getParameter(gl.PIXEL_PACK_BUFFER_BINDING) : null;
      if (packBuffer) gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
      if (readFramebuffer !== null) bind(readTarget, null);
      const one = new Uint8Array(4);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, one); // returns once the frame is finished
      const at = performance.now();
      const width = gl.drawingBufferWidth;
      const height = gl.drawingBufferHeight;
      const pixels = new Uint8Array(width * height * 4);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
      if (readFramebuffer !== null) bind(readTarget, readFramebuffer);
      if (packBuffer) gl.bindBuffer(gl.PIXEL_PACK_BUFFER, packBuffer);
      let opaque = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] >= OPAQUE) opaque++;
      const share = opaque / (width * height);
      let tag = {};
      try {
        tag = window.__benchTag ? window.__benchTag() : {};
      } catch {
        tag = {};
      }
      frames.push({ at, share, width, height, lit: tag.lit === true });
      if (tag.lit === true && share >= DONE_SHARE) done = true;
    };

    const wrapDraw = (name) => {
      const original = gl[name];
      if (typeof original !== 'function') return;
      gl[name] = (...args) => {
        const result = original.apply(gl, args);
        if (!done && !pending && drawFramebuffer === null) {
          pending = true;
          queueMicrotask(finishFrame);
        }
        return result;
      };
    };
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements']) wrapDraw(name);
  };

  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const context = getContext.call(this, type, ...rest);
    if (context && (context instanceof WebGLRenderingContext || (typeof WebGL2RenderingContext !== 'undefined' && context instanceof WebGL2RenderingContext))) {
      instrument(context);
    }
    return context;
  };
})();
