// Loaded with --import by test/cli/bundle-fresh.test.ts: the bin's clean-up of old CLI builds is
// killed half way through deleting one (a closed terminal, kill -9). The first rmSync of a folder
// under .cache/cli other than a temp build removes one file in it, then the process dies (SIGKILL).
// Plain JavaScript: it runs before the bin.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';

const rmSync = fs.rmSync;
fs.rmSync = function killedHalfWay(path, options) {
  const target = String(path);
  const inCache = dirname(target).endsWith(`${sep}.cache${sep}cli`) && !basename(target).startsWith('.build-');
  if (inCache && fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const first = fs.readdirSync(target).sort()[0];
    if (first) fs.unlinkSync(join(target, first));
    process.kill(process.pid, 'SIGKILL');
  }
  return rmSync.call(this, path, options);
};
// The bin imports rmSync by name: its binding follows the patched function.
syncBuiltinESMExports();
