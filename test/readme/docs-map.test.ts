// The newcomer's map stays true: every file the README and docs/ name exists, every folder and file
// of src/core is on docs/CODE-MAP.md, and every file of src/core/engine has its row in docs/ENGINE.md.
// Before, eight of src/core's folders (db, images, ipc, pricing, settings, spend, watch-folder, workers)
// and most of its top-level files were named nowhere, and ENGINE.md's table had lost four engine files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/**
 * Paths in backticks that start at the repository's root (`src/...`, `test/...`); a `<place>` holder or
 * a `*` pattern keeps what comes before it.
 */
function rootPaths(text: string): string[] {
  const found = [...text.matchAll(/`((?:src|test|bench|scripts|docs)\/[^`\s]*)`/g)].map((m) => m[1]!);
  return [...new Set(found.map((path) => path.split(/[<*]/)[0]!.replace(/\/$/, '')))];
}

/** Markdown links to files in the repository, as the page's own folder resolves them. */
function linkedFiles(doc: string): string[] {
  const links = [...read(doc).matchAll(/\]\(([^)\s#]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/.test(href));
  return links.map((href) => join(dirname(doc), href));
}

const missing = (paths: readonly string[]) => paths.filter((path) => !existsSync(join(root, path)));

describe('the docs name only files that exist', () => {
  for (const doc of ['README.md', 'docs/CODE-MAP.md', 'docs/ENGINE.md']) {
    it(`${doc}: every path from the root and every link`, () => {
      expect(missing(rootPaths(read(doc)))).toEqual([]);
      expect(missing(linkedFiles(doc))).toEqual([]);
    });
  }

  it('ENGINE.md: its table rows are files of src/core/engine, and its other paths are under src/core', () => {
    const engine = read('docs/ENGINE.md');
    const rows = [...engine.matchAll(/^\| ([^|]+\.ts[^|]*) \|/gm)].flatMap((m) => m[1]!.split(' / ').map((name) => name.trim()));
    expect(rows.length).toBeGreaterThan(20);
    expect(missing(rows.map((name) => `src/core/engine/${name}`))).toEqual([]);
    const underCore = [...engine.matchAll(/`(?!src\/|test\/)([a-z-]+\/[\w./-]+\.ts)`/g)].map((m) => `src/core/${m[1]!}`);
    expect(underCore.length).toBeGreaterThan(5);
    expect(missing(underCore)).toEqual([]);
  });
});

describe('the docs point at nothing outside the repository', () => {
  // A clone has only the repository: a link or a path that leaves it (`../shared/DESIGN.md`) leads nowhere.
  const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
  for (const doc of docs) {
    it(`${doc}: no link or path leaves the repository, and its links lead to files`, () => {
      const outside = linkedFiles(doc).filter((path) => isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`));
      const upward = [...read(doc).matchAll(/`(\.\.\/[^`\s]*)`/g)].map((m) => m[1]!);
      expect([...outside, ...upward]).toEqual([]);
      expect(missing(linkedFiles(doc))).toEqual([]);
    });
  }
});

describe('every part of the code is on the map', () => {
  it('each folder and file of src/core is named in docs/CODE-MAP.md', () => {
    const map = rootPaths(read('docs/CODE-MAP.md'));
    const entries = readdirSync(join(root, 'src/core')).map((name) => `src/core/${name}`);
    expect(entries.filter((entry) => !map.includes(entry))).toEqual([]);
  });

  it('each folder of src is named in docs/CODE-MAP.md', () => {
    const map = rootPaths(read('docs/CODE-MAP.md'));
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `src/${e.name}`);
    expect(folders.filter((folder) => !map.includes(folder))).toEqual([]);
  });

  it('each file of src/core/engine has its row in docs/ENGINE.md', () => {
    const engine = read('docs/ENGINE.md');
    const files = readdirSync(join(root, 'src/core/engine')).filter((name) => name.endsWith('.ts'));
    expect(files.filter((name) => !new RegExp(`^\\| (?:[^|]* / )?${name.replace('.', '\\.')}[ |/]`, 'm').test(engine))).toEqual([]);
  });
});
