// Lint rules, including the architecture's import boundaries (see shared/DESIGN.md):
// core and shared never import electron; shared never imports node:; the renderer never imports
// electron, node: or better-sqlite3; only src/main/ipc.ts touches ipcMain; only the preload touches ipcRenderer.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Only src/main and src/preload may import electron.' };
const nodeBuiltins = {
  group: ['node:*'],
  message: 'This layer must not use Node built-ins (keep it portable).',
};
const sqlite = { name: 'better-sqlite3', message: 'The renderer talks to the database only through window.api.' };
const ipcMainOnlyInIpc = {
  name: 'electron',
  importNames: ['ipcMain'],
  message: 'Register handlers through src/main/ipc.ts (sender check + zod), never with raw ipcMain.',
};
const ipcRendererOnlyInPreload = {
  name: 'electron',
  importNames: ['ipcRenderer'],
  message: 'Only the preload may touch ipcRenderer.',
};

export default tseslint.config(
  { ignores: ['.tmp/**', '.cache/**', 'out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'artifacts/**', '.native/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // The security scan (npm run security:scan, electronegativity) parses the built main and preload
    // bundles with a parser that fails on class private properties (#field): a file it cannot parse
    // is a failed gate, and its findings go unseen.
    files: ['src/core/**/*.ts', 'src/main/**/*.ts', 'src/preload/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts', 'src/web-bridge/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'PrivateIdentifier', message: 'Use TypeScript `private` instead of #private: the security scan cannot parse #private fields in the main bundle.' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [nodeBuiltins] }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/web-bridge/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/ipc.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ipcMainOnlyInIpc, ipcRendererOnlyInPreload] }] },
  },
  {
    files: ['src/main/ipc.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ipcRendererOnlyInPreload] }] },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ipcMainOnlyInIpc] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [electron, sqlite], patterns: [nodeBuiltins] }],
      'no-restricted-globals': ['error', { name: 'require', message: 'The renderer has no require.' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
