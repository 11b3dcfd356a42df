// The README's Node versions are the ones the packages declare: Electron 45's tools want Node >= 22.12
// (npm install on Node 20 warns EBADENGINE), while tests, the CLI and the build run on the app's own
// minimum (package.json engines; CI runs Node 20). It said "Node.js 20.19 or newer works" for everything.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const require = createRequire(join(root, 'package.json'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const engines = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
const minimum = (range: string) => /(\d+)\.(\d+)/.exec(range)?.slice(1, 3).join('.') ?? '';

interface ElectronNative {
  nodeWarning(nodeVersion: string, range: string | undefined): string | null;
}

describe('Node versions', () => {
  it('the README names the Node Electron declares for the desktop app, and the app’s own minimum for the rest', () => {
    const electron = minimum(engines(require.resolve('electron/package.json')));
    const app = minimum(engines(join(root, 'package.json')));
    expect(electron).toMatch(/^\d+\.\d+$/);
    const getStarted = readme.slice(readme.indexOf('## Get started'), readme.indexOf('### Your FAL key'));
    expect(getStarted).toContain(`Node.js ${electron} or newer`);
    expect(getStarted).toContain(`Node >= ${electron}`);
    expect(getStarted).toContain(`Node ${app} or newer runs everything else`);
    expect(getStarted).toContain('EBADENGINE');
  });

  it('npm start warns on a Node older than Electron declares, and only then', async () => {
    const script = '../../scripts/electron-native.mjs'; // plain JS: imported by a runtime path, typed here
    const { nodeWarning } = (await import(script)) as ElectronNative;
    const range = engines(require.resolve('electron/package.json'));
    expect(nodeWarning('20.20.2', range)).toMatch(/declare Node 22\.12\.0 or newer; this is Node 20\.20\.2/);
    expect(nodeWarning('22.11.0', range)).not.toBeNull();
    expect(nodeWarning('22.12.0', range)).toBeNull();
    expect(nodeWarning('24.0.0', range)).toBeNull();
    expect(nodeWarning('22.12.0', undefined)).toBeNull();
  });
});
