#!/usr/bin/env node
// `npx image2model ...` from the repository, no build step needed: runs the CLI bundled from the
// sources as they are now (scripts/cli-bundle.mjs builds it on the first run after a change), or
// the TypeScript sources through tsx when it cannot be built or IMAGE2MODEL_CLI_FROM_SOURCE=1.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledCli } from '../scripts/cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function cliEntry() {
  if (process.env.IMAGE2MODEL_CLI_FROM_SOURCE !== '1') {
    try {
      return pathToFileURL(await bundledCli(root)).href;
    } catch {
      // Not buildable here: tsx compiles the sources (and reports a compile error the usual way).
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return new URL('../src/cli/main.ts', import.meta.url).href;
}

const { runCli } = await import(await cliEntry());
process.exitCode = await runCli(process.argv.slice(2));
