import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { relaxCspInDev } from './scripts/vite-dev-csp';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // Each worker thread is its own entry, next to index.js (src/core/workers/start-worker.ts finds it there).
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'export-worker': resolve('src/core/export/worker.ts'),
          'glb-worker': resolve('src/core/library/glb-worker.ts'),
          'checkpoint-worker': resolve('src/core/db/checkpoint-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload must be CommonJS and self-contained.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), relaxCspInDev()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
