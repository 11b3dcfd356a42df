/* global document, window, location */
// The comparison page: one <model-viewer> filling the page, driven like the viewer harness.
// window.__mv.open(url) sets src and returns performance.now() taken just before; 'load' fires
// after model-viewer has drawn the model (it waits two animation frames after loading).
// `model-viewer.html?model=<url>` opens that model from the start (the benchmark times from navigation).
const element = document.getElementById('mv');
const initialUrl = new URLSearchParams(location.search).get('model');
if (initialUrl) element.src = initialUrl;

/** model-viewer keeps its three.js scene under a private symbol; its `environment` is the lighting. */
const sceneSymbol = Object.getOwnPropertySymbols(element).find((symbol) => symbol.description === 'scene');
window.__benchTag = () => ({ lit: Boolean(sceneSymbol && element[sceneSymbol]?.environment) });
const state = { loads: [], errors: [] };
element.addEventListener('load', () => state.loads.push(performance.now()));
element.addEventListener('error', (event) => state.errors.push(String(event.detail?.type ?? 'error')));
window.__mv = {
  open(url) {
    const at = performance.now();
    element.src = url;
    return at;
  },
  loads: () => [...state.loads],
  errors: () => [...state.errors],
  /** Non-transparent pixels of model-viewer's own canvas (it keeps its drawing buffer). */
  coverage() {
    const canvas = element.shadowRoot?.querySelector('canvas');
    if (!canvas) return { covered: 0, total: 0 };
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d');
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, copy.width, copy.height).data;
    let covered = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 8) covered++;
    return { covered, total: copy.width * copy.height };
  },
};
