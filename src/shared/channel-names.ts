// Channel and event names without zod, so the sandboxed preload stays tiny and dependency-free.
// contract.ts checks at compile time that these lists match its maps exactly.
export const CHANNEL_NAME_LIST = [
  'app:info',
  'jobs:add',
  'jobs:addFolder',
  'jobs:addSet',
  'jobs:pick',
  'jobs:list',
  'jobs:cancel',
  'jobs:retry',
  'jobs:remove',
  'jobs:clearFinished',
  'jobs:setModel',
  'queue:state',
  'cost:summary',
  'models:list',
  'library:list',
  'library:get',
  'library:rename',
  'library:delete',
  'library:setTags',
  'library:remake',
  'settings:get',
  'settings:set',
  'key:status',
  'key:set',
  'key:clear',
  'key:test',
  'billingKey:status',
  'billingKey:set',
  'billingKey:clear',
  'spend:sync',
  'spend:jobCosts',
  'prices:refresh',
  'reconcile:run',
  'proxy:get',
  'proxy:set',
  'export:model',
  'export:presets',
  'export:savePreset',
  'export:deletePreset',
  'export:plan',
  'export:run',
  'export:batch',
  'export:cancel',
  'export:chooseFolder',
  'shell:reveal',
  'shell:openModel',
  'shell:openExternal',
  'shell:startDrag',
  'stats:get',
  'samples:list',
  'samples:add',
  'watch:status',
  'watch:chooseFolder',
  'watch:setEnabled',
] as const;

export const EVENT_NAME_LIST = ['job:changed', 'queue:changed', 'library:changed', 'settings:changed', 'app:command', 'export:progress', 'cost:changed', 'presets:changed', 'watch:changed'] as const;

/** Prefix that keeps our event channels apart from anything else on ipcRenderer. */
export const EVENT_CHANNEL_PREFIX = 'event:';

/**
 * Preload -> main, never exposed to the page: a path Electron gave for a file the user dropped or
 * picked (webUtils.getPathForFile, empty for files the page made itself). Only such paths, and those
 * from main's own dialogs, are used when the page sends them back.
 */
export const CHOSEN_PATH_CHANNEL = 'internal:chosen-path';
