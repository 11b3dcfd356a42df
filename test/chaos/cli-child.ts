// The real CLI (src/cli/main.ts, what bin/image2model.mjs runs through tsx) as an entry the chaos
// test bundles once, so each of its many CLI processes starts in a fraction of tsx's time.
import { runCli } from '../../src/cli/main';

process.exitCode = await runCli(process.argv.slice(2));
