import { join } from 'node:path';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { describeSettingsStore } from './store-contract';

describeSettingsStore('JSON file', {
  open: (dir) => createFileSettingsStore(join(dir, 'settings.json')),
  file: (dir) => join(dir, 'settings.json'),
});
