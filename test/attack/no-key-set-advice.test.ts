// Attack (first run, no key): the README's `convert --views front=mug_front.jpg,...` and
// `convert --together a.jpg b.jpg c.jpg --model fal-ai/hyper3d/rodin`, typed before a key is set.
// The answer was "set FAL_KEY, or use --model offline/relief (works offline)" - and doing exactly that
// was refused next ("Relief (offline) makes a model from one image"): a dead end for a new user. Now
// the advice names what works without a key (one model from each photo) with the command to type,
// and that command, run as given, makes the models.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-no-key-set-'));
  mkdirSync(join(work, "o'shots"));
  for (const [i, name] of ['mug_front.jpg', 'mug_left.jpg', "o'shots/mug back.jpg"].entries()) {
    writeFileSync(join(work, name), await makeTestJpeg(520, 520, { seed: 70 + i }));
  }
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

/** The words of a POSIX shell command line of plain, backslash-escaped and single-quoted characters. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') word = (word ?? '') + line[++i];
    else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

const shot = (name: string) => join(work, name);

it.each([
  ['--views', () => ['--views', `front=${shot('mug_front.jpg')},left=${shot('mug_left.jpg')},back=${shot("o'shots/mug back.jpg")}`]],
  ['--together', () => ['--together', shot('mug_front.jpg'), shot('mug_left.jpg'), shot("o'shots/mug back.jpg"), '--model', 'fal-ai/hyper3d/rodin']],
])('convert %s without a key says what works offline, and that command makes a model of each photo', async (flag, argsOf) => {
  const args = argsOf();
  const data = join(work, `data${flag}`);
  const refused = await runCli(['convert', ...args, '--data-dir', data]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/needs a key: set FAL_KEY/);
  const advice = /image2model (convert .*)$/m.exec(refused.stderr)?.[1];
  expect(advice, refused.stderr).toBeDefined();
  const out = mkdtempSync(join(work, 'out-'));
  const offline = await runCli([...shellWords(advice!), '--data-dir', data, '--out', out]);
  expect(offline.stderr).not.toMatch(/makes a model from one image/);
  expect(offline.code, offline.stdout + offline.stderr).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['mug back.glb', 'mug_front.glb', 'mug_left.glb']);
}, 120_000); // two CLI runs, three offline models: well under 30 s alone, but the machine is shared
