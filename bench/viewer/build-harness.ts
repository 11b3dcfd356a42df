// Builds the viewer harness (harness.html + the viewer, lazily loaded as in the app) with Vite,
// under the app's own Content-Security-Policy copied from src/renderer/index.html.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'vite';

const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/;

/** The renderer's CSP meta tag, verbatim, so the harness runs under exactly the app's policy. */
export function appCspMeta(): string {
  const html = readFileSync(resolve('src/renderer/index.html'), 'utf8');
  const meta = CSP_META.exec(html)?.[0];
  if (!meta) throw new Error('src/renderer/index.html has no Content-Security-Policy meta tag');
  return meta;
}

function insertAppCsp(allowEval: boolean): Plugin {
  const meta = allowEval ? appCspMeta().replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") : appCspMeta();
  return {
    name: 'viewer-harness-csp',
    transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    ${meta}`),
  };
}

export interface HarnessBuildOptions {
  outDir: string;
  /**
   * 'development': React's development build, so StrictMode mounts, unmounts and remounts the viewer
   * (tests use it to catch disposal bugs). 'test': production React and the viewer's debug hooks
   * (benchmarks). Both expose window.__viewerDebug.
   */
  mode: 'development' | 'test';
  /** Adds 'unsafe-eval' to script-src (what the Basis/KTX2 transcoder needs); tests only. */
  allowEval?: boolean;
  /** Also builds three-page.html, the minimal three.js page the benchmark compares with. */
  threePage?: boolean;
}

export async function buildViewerHarness({ outDir, mode, allowEval = false, threePage = false }: HarnessBuildOptions): Promise<void> {
  const input = [resolve('bench/viewer/harness.html'), ...(threePage ? [resolve('bench/viewer/three-page.html')] : [])];
  await build({
    configFile: false,
    root: resolve('bench/viewer'),
    base: './',
    mode,
    logLevel: 'warn',
    plugins: [react(), insertAppCsp(allowEval)],
    define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
    build: {
      outDir: resolve(outDir),
      emptyOutDir: true,
      minify: mode !== 'development',
      chunkSizeWarningLimit: 2048, // three.js is one lazy chunk on purpose
      rollupOptions: { input },
    },
  });
}
