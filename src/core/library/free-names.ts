// How far the "name taken, try the next" loops (chair.glb, chair-2.glb, ...) look before giving up: a
// folder where every name is taken, or a file system that answers "exists" to every name (a broken
// network share or FUSE mount), would otherwise keep them trying forever.

/** Names tried, the first included, before an export gives up. */
export const MAX_NAME_TRIES = 10_000;

export class NoFreeNameError extends Error {
  override readonly name = 'NoFreeNameError';
  constructor(dir: string, first: string, tried = MAX_NAME_TRIES) {
    super(
      `No free file name in ${dir}: ${first} and the next ${(tried - 1).toLocaleString('en')} names after it (-2, -3, ...) are all taken, ` +
        'or the folder answers that they are. Nothing was written. Move or delete old exports there, or choose another folder.',
    );
  }
}
