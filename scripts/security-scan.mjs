#!/usr/bin/env node
// `npm run security:scan`: runs @doyensec/electronegativity over the app's sources (src/) and, when it
// has been built, over the bundles that actually ship (out/). Electronegativity itself always exits 0,
// so this script is the gate: it exits 1 on every finding that is not an answered review item, and on
// any file the scanner could not parse (a file it did not read is a file it did not check).
//
// An answered review item is a finding electronegativity marks "Review Required" for which we wrote down
// what we checked and why it is acceptable (ANSWERS below). An answer only covers the exact code it was
// written for: its check id, the file and the flagged code (the sample) must all match, so a new
// openExternal call elsewhere, a changed CSP or a second preload is a new, unanswered finding.
//
// Options: --src-only (skip out/ even when it exists), --out <dir> (the built app, default out/),
// --sarif <file> (also write electronegativity's SARIF report of every finding).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const srcOnly = args.includes('--src-only');
const sarifIndex = args.indexOf('--sarif');
const sarifFile = sarifIndex >= 0 ? resolve(args[sarifIndex + 1] ?? 'electronegativity.sarif') : null;
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? resolve(args[outIndex + 1] ?? 'out') : join(root, 'out');

/** The CSP of src/renderer/index.html that the CSP_GLOBAL_CHECK answer was written for. */
export const REVIEWED_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: i2m:; " +
  "connect-src 'self' data: blob: i2m:; worker-src 'self' blob:; font-src 'self'; media-src 'none'; object-src 'none'; " +
  "frame-src 'none'; base-uri 'none'; form-action 'none'";

/** What the preload may put on the page's window (checked in the source and in the built bundle). */
export const REVIEWED_PRELOAD_GLOBALS = ['api', 'desktop'];

const normalizeSpace = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();

export const ANSWERS = [
  {
    id: 'PRELOAD_JS_CHECK',
    files: [/^src\/main\/window\.ts$/, /^out\/main\/index\.js$/],
    sample: /preload: join\(here, ["']\.\.\/preload\/index\.cjs["']\)/,
    answer: [
      'The one window loads one preload, src/preload/index.ts (built to out/preload/index.cjs), in a sandboxed,',
      'context-isolated renderer. Through contextBridge it exposes exactly two objects:',
      '  window.api: one function per IPC contract channel (src/shared/channel-names.ts), each a fixed',
      '    ipcRenderer.invoke(<that channel>, input), plus api.on(event, listener) for the contract events only',
      '    (unknown names throw); the listener receives the payload, never the IPC event or ipcRenderer.',
      '  window.desktop.pathForFile(file): webUtils.getPathForFile for a dropped File, returning a path or null;',
      '    a path it finds is first reported to main with ipcRenderer.sendSync(CHOSEN_PATH_CHANNEL, path), the one',
      '    fixed internal channel, so main uses only paths the user really dropped (the page cannot name others).',
      'ipcRenderer itself, send/sendSync, and Node APIs are never exposed. Main re-checks every call: the sender',
      'must be the top frame of our own page (src/main/ipc.ts), and the dispatcher parses every input with the',
      "channel's zod schema before any handler runs. This script also checks that the preload exposes nothing",
      `but ${REVIEWED_PRELOAD_GLOBALS.join(' and ')} and never hands ipcRenderer to the page.`,
    ],
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    files: [/^src\/renderer\/index\.html$/, /^out\/renderer\/index\.html$/],
    sample: (sample) => normalizeSpace(sample) === normalizeSpace(REVIEWED_CSP),
    answer: [
      `The renderer's CSP (a meta tag, and the same policy as a response header: the page is served from app://renderer/ by src/main/protocol.ts, never from file://; test/main/protocol.test.ts checks both agree) is: ${REVIEWED_CSP}`,
      "default-src 'none': nothing loads unless listed below. No 'unsafe-inline', no 'unsafe-eval', no remote",
      'origin anywhere: the renderer never talks to the network (FAL calls are made by the main process).',
      "script-src 'self' 'wasm-unsafe-eval': only the bundled scripts; 'wasm-unsafe-eval' lets the Draco,",
      '  Meshopt and KTX2 decoders compile WebAssembly (it does not allow JavaScript eval).',
      "style-src 'self': only the bundled stylesheet (React sets styles through the CSSOM, which CSP allows).",
      'img-src / connect-src data: blob: i2m:: three.js loaders turn textures inside a GLB into blob: and data:',
      '  URLs; i2m://library/<kind>/<id> is our own protocol that serves library models, previews and input',
      '  thumbnails by id (src/main/protocol.ts), never by path.',
      "worker-src 'self' blob:: the decoders run in workers that three.js creates from blob: URLs.",
      "media, objects, frames, <base> and form submissions are all 'none'. The dev server relaxes the CSP only",
      '  while developing (scripts/vite-dev-csp.ts applies to `vite serve`, never to the build).',
    ],
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    files: [/^src\/main\/protocol\.ts$/, /^out\/main\/index\.js$/],
    // Electronegativity cannot read a CSP held in a constant: the flagged line itself must be this one.
    sample: (sample) => normalizeSpace(sample) === '',
    code: /^\s*if \(type\.startsWith\(["']text\/html["']\)\) headers\[["']content-security-policy["']\] = RENDERER_CSP;\s*$/,
    answer: [
      'The CSP response header of the page (app://renderer/index.html, served by src/main/protocol.ts) is',
      'RENDERER_CSP, the policy reviewed above; test/main/protocol.test.ts fails if it differs from the meta tag.',
    ],
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    files: [/^src\/main\/external\.ts$/, /^out\/main\/index\.js$/],
    sample: /shell\.openExternal\(new URL\(url\)\.toString\(\)\)/,
    answer: [
      'The only call of shell.openExternal in the app, in openExternalIfAllowed (src/main/external.ts). It runs',
      'only after isAllowedExternalUrl(url) accepted the URL: protocol https:, no user name or password, and a',
      'host exactly on the allowlist (DEFAULT_EXTERNAL_ALLOWLIST: fal.ai, docs.fal.ai, github.com). Window-open',
      'requests, the Help menu and the Platform implementation all go through it (tested in test/main/).',
    ],
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    files: [/^src\/core\/services\.ts$/, /^out\/main\/index\.js$/],
    sample: /platform\.openExternal\(parsed\.toString\(\)\)/,
    answer: [
      "The shell:openExternal handler (src/core/services.ts) calls the Platform's openExternal only after",
      'checking protocol https: and a host on the allowlist; the Electron Platform checks again in',
      'openExternalIfAllowed before reaching shell.openExternal. The URL arrives parsed by zod (z.url()).',
    ],
  },
];

/** The source line a finding points at ('' when it cannot be read). */
function codeAt(finding) {
  try {
    const path = finding.file.startsWith('out/') ? join(outDir, finding.file.slice(4)) : join(root, finding.file);
    return readFileSync(path, 'utf8').split('\n')[(finding.location?.line ?? 0) - 1] ?? '';
  } catch {
    return '';
  }
}

function answerFor(finding) {
  return ANSWERS.find(
    (a) =>
      a.id === finding.id &&
      a.files.some((re) => re.test(finding.file)) &&
      (typeof a.sample === 'function' ? a.sample(finding.sample) : a.sample.test(String(finding.sample ?? ''))) &&
      (!a.code || a.code.test(codeAt(finding))),
  );
}

/** Static checks behind the PRELOAD answer: what the page can reach must not grow unnoticed. */
export function checkPreloadSource(source, label) {
  const problems = [];
  // Comments and import lines may name ipcRenderer freely; code may not.
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/^\s*import\s[^;]*;/gm, '');
  const calls = [...code.matchAll(/exposeInMainWorld\(\s*(["'`])?([\w$]+)?/g)];
  for (const [, quote, name] of calls) {
    if (!quote) problems.push(`${label}: exposeInMainWorld is called with a computed name`);
    else if (!REVIEWED_PRELOAD_GLOBALS.includes(name)) problems.push(`${label}: exposes window.${name} (reviewed: ${REVIEWED_PRELOAD_GLOBALS.join(', ')})`);
  }
  // ipcRenderer may only invoke, subscribe and unsubscribe, and report a chosen path on its fixed channel;
  // used any other way it could reach the page. (The built bundle inlines the channel name.)
  const allowed = /(?!\s*\.\s*(?:invoke|on|removeListener)\s*\()(?!\s*\.\s*sendSync\s*\(\s*(?:CHOSEN_PATH_CHANNEL\b|["'`]internal:chosen-path["'`]))/;
  for (const m of code.matchAll(new RegExp(`\\bipcRenderer\\b${allowed.source}`, 'g'))) {
    const line = code.slice(0, m.index).split('\n').length;
    problems.push(`${label}: ipcRenderer used other than .invoke/.on/.removeListener/.sendSync(CHOSEN_PATH_CHANNEL) (near code line ${line})`);
  }
  return problems;
}

function stageInputs() {
  const stage = mkdtempSync(join(tmpdir(), 'i2m-security-scan-'));
  cpSync(join(root, 'src'), join(stage, 'src'), { recursive: true });
  // package.json tells electronegativity the Electron version (several checks depend on its defaults).
  cpSync(join(root, 'package.json'), join(stage, 'package.json'));
  const built = !srcOnly && existsSync(join(outDir, 'main')) && existsSync(join(outDir, 'renderer', 'index.html'));
  if (built) {
    // Staged as out/ whatever its real name, so the answers' file patterns apply. The renderer's
    // bundled scripts are left out: they are React and three.js plus our renderer code, which is
    // scanned from src/, and the scanner's old parser cannot read modern library syntax (class static
    // blocks). The renderer's index.html (its CSP) is scanned.
    cpSync(join(outDir, 'main'), join(stage, 'out', 'main'), { recursive: true });
    cpSync(join(outDir, 'renderer', 'index.html'), join(stage, 'out', 'renderer', 'index.html'));
    if (existsSync(join(outDir, 'preload'))) cpSync(join(outDir, 'preload'), join(stage, 'out', 'preload'), { recursive: true });
    // The scanner skips .cjs files: give the shipped preload a name it reads.
    const preload = join(stage, 'out', 'preload', 'index.cjs');
    if (existsSync(preload)) cpSync(preload, join(stage, 'out', 'preload', 'index.js'));
  }
  return { stage, built };
}

async function main() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const electronegativity = require('@doyensec/electronegativity');
  const run = electronegativity.default ?? electronegativity;
  const { stage, built } = stageInputs();
  let result;
  try {
    result = await run({
      input: stage,
      electronVersionOverride: electronVersion,
      ...(sarifFile ? { output: sarifFile, isSarif: true } : {}),
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const rel = (file) => relative(stage, resolve(stage, file)).split(sep).join('/');

  console.log(`\nElectronegativity ${require('@doyensec/electronegativity/package.json').version}, Electron ${electronVersion}: ` +
    `${result.globalChecks} global and ${result.atomicChecks} atomic checks over src/${built ? ' and out/' : ' (out/ not built: run `electron-vite build` to scan the bundles too)'}`);

  const parseErrors = result.errors.filter((e) => !e.tolerable);
  const answered = [];
  const unanswered = [];
  for (const issue of result.issues) {
    const finding = { ...issue, file: rel(issue.file) };
    const answer = answerFor(finding);
    (answer ? answered : unanswered).push({ finding, answer });
  }

  const preloadProblems = [];
  const preloadFiles = [['src/preload/index.ts', join(root, 'src', 'preload', 'index.ts')]];
  if (built) preloadFiles.push(['out/preload/index.cjs', join(outDir, 'preload', 'index.cjs')]);
  for (const [label, file] of preloadFiles) {
    if (existsSync(file)) preloadProblems.push(...checkPreloadSource(readFileSync(file, 'utf8'), label));
    else preloadProblems.push(`${label}: missing`);
  }

  const where = (f) => `${f.file}:${f.location?.line ?? '?'}`;
  const printedAnswers = new Set();
  if (answered.length) {
    console.log(`\nAnswered review items (${answered.length}):`);
    for (const { finding, answer } of answered) {
      console.log(`  ${finding.id} at ${where(finding)}: ${normalizeSpace(finding.sample).slice(0, 100)}`);
      if (!printedAnswers.has(answer)) {
        printedAnswers.add(answer);
        for (const line of answer.answer) console.log(`      ${line}`);
      }
    }
  }
  if (parseErrors.length) {
    console.log(`\nFiles the scanner could not parse (${parseErrors.length}):`);
    for (const e of parseErrors) console.log(`  ${rel(e.file)}: ${e.message}`);
  }
  if (preloadProblems.length) {
    console.log('\nThe preload no longer matches its reviewed answer:');
    for (const p of preloadProblems) console.log(`  ${p}`);
  }
  if (unanswered.length) {
    console.log(`\nUnanswered findings (${unanswered.length}):`);
    for (const { finding } of unanswered) {
      console.log(`  ${finding.id} [${finding.severity?.name}/${finding.confidence?.name}${finding.manualReview ? ', review required' : ''}] at ${where(finding)}`);
      console.log(`      ${normalizeSpace(finding.sample).slice(0, 160)}`);
      console.log(`      ${finding.description} ${finding.shortenedURL ?? ''}`);
    }
  }
  if (sarifFile) console.log(`\nSARIF report: ${sarifFile}`);
  const failed = unanswered.length + parseErrors.length + preloadProblems.length;
  console.log(`\nsecurity scan: ${answered.length} answered review item(s), ${unanswered.length} unanswered finding(s), ` +
    `${parseErrors.length} unparsed file(s), ${preloadProblems.length} preload problem(s) -> ${failed ? 'FAIL' : 'OK'}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error('security scan could not run:', error);
      process.exit(1);
    },
  );
}
