// Channel and event names without zod, so the sandboxed preload stays tiny and dependency-free.
// contract.ts checks at compile time that these lists match its maps exactly.
export const CHANNEL_NAME_LIST = [
  'app:info',
  'jobs:add',
  'jobs:addFolder',
  'jobs:pick',
  'jobs:list',
  'jobs:cancel',
  'jobs:retry',
  'jobs:remove',
  'jobs:clearFinished',
  'queue:state',
  'cost:summary',
  'models:list',
  'library:list',
  'library:get',
  'library:rename',
  'library:delete',
  'library:setTags',
  'settings:get',
  'settings:set',
  'key:status',
  'key:set',
  'key:clear',
  'key:test',
  'export:model',
  'export:presets',
  'export:savePreset',
  'export:deletePreset',
  'export:plan',
  'export:run',
  'export:batch',
  'export:cancel',
  'shell:reveal',
  'shell:openModel',
  'shell:openExternal',
  'shell:startDrag',
  'stats:get',
] as const;

export const EVENT_NAME_LIST = ['job:changed', 'queue:changed', 'library:changed', 'settings:changed', 'app:command', 'export:progress'] as const;

/** Prefix that keeps our event channels apart from anything else on ipcRenderer. */
export const EVENT_CHANNEL_PREFIX = 'event:';
