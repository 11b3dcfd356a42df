// Writes down every module a process loads, one path or URL a line, to the file named by
// IMAGE2MODEL_TEST_LOAD_LOG: ES modules through a load hook (it sees tsx's loads too), CommonJS
// through Module._load (require calls inside packages). Loaded with --import by
// test/cli/startup-modules.test.ts. Plain JavaScript: it runs before tsx is there.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.IMAGE2MODEL_TEST_LOAD_LOG;
if (log) {
  register('./record-loads-hooks.mjs', import.meta.url);
  const load = Module._load;
  Module._load = function recordedLoad(request, parent, isMain) {
    const loaded = load.apply(this, arguments);
    try {
      appendFileSync(log, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // A built-in the resolver does not name: nothing to record.
    }
    return loaded;
  };
}
