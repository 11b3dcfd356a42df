// The README walk reads commands and endpoints from the README itself; this pins what it reads.
import { describe, expect, it } from 'vitest';
import { readmeModelEndpoints, readmeShellCommands } from './readme-commands';

const MARKDOWN = [
  '# Title',
  '## Start',
  '```sh',
  'npm install',
  '',
  'npx tool run photo.jpg        # a comment',
  '# a whole-line comment',
  '```',
  '```json',
  '{"not": "a command"}',
  '```',
  '## Pack',
  '```bash',
  'npm run dist',
  '```',
  '| system | folder |',
  '|---|---|',
  '| Linux | `~/.config/App` |',
  '',
  '| model | endpoint | price |',
  '|---|---|---|',
  '| A | `vendor/a` | $1 |',
  '| B | `vendor/b/v2.5` | $2 |',
  '',
].join('\n');

describe('README parsing', () => {
  it('takes every line of sh/bash blocks with its section, without comments or other languages', () => {
    expect(readmeShellCommands(MARKDOWN)).toEqual([
      { command: 'npm install', section: 'Start' },
      { command: 'npx tool run photo.jpg', section: 'Start' },
      { command: 'npm run dist', section: 'Pack' },
    ]);
  });

  it('takes the endpoints from the endpoint column of the models table only', () => {
    expect(readmeModelEndpoints(MARKDOWN)).toEqual(['vendor/a', 'vendor/b/v2.5']);
  });
});
