// A benchmark runs outside vitest (tsx), so vitest.config's IMAGE2MODEL_KNOWN_FOLDERS does not reach
// it: one that starts the CLI on a temp data folder wrote that folder into the user's own record of
// data folders that held a library (beside their real data folder) - gone after the bench, it was then
// "a library that is missing". Each bench that starts the CLI names a record of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const BENCH = join(process.cwd(), 'bench');

it('every bench that starts the CLI keeps its record of data folders to itself', () => {
  const startsCli = readdirSync(BENCH)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, text: readFileSync(join(BENCH, name), 'utf8') }))
    .filter(({ text }) => /bin\/image2model\.mjs|'bin', 'image2model\.mjs'/.test(text));
  expect(startsCli.map(({ name }) => name)).toContain('cli-start.bench.ts');
  expect(startsCli.filter(({ text }) => !/IMAGE2MODEL_KNOWN_FOLDERS|KNOWN_FOLDERS_ENV/.test(text)).map(({ name }) => name)).toEqual([]);
});
