#!/usr/bin/env node
// `npx image2model ...` from the repository, no build step needed: runs the CLI bundled from the
// sources as they are now (scripts/cli-bundle.mjs builds it on the first run after a change), or
// the TypeScript sources through tsx when it cannot be built or IMAGE2MODEL_CLI_FROM_SOURCE=1.
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledCli, setAside } from '../scripts/cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL('../src/cli/main.ts', import.meta.url).href);
}

async function loadCli() {
  let entry = null;
  if (process.env.IMAGE2MODEL_CLI_FROM_SOURCE !== '1') {
    try {
      entry = await bundledCli(root);
    } catch {
      // Not buildable here: tsx compiles the sources (and reports a compile error the usual way).
    }
  }
  if (!entry) return fromSource();
  try {
    return await import(pathToFileURL(entry).href);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // Damaged after the check at start (a part removed meanwhile) would fail every start: it goes,
    // this start runs the sources, and the next one builds it anew.
    setAside(dirname(entry));
    return fromSource();
  }
}

const { runCli } = await loadCli();
process.exitCode = await runCli(process.argv.slice(2));
