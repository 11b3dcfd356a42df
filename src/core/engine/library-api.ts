// The library as the engine offers it: reads straight from the store, changes announced as events.
import type { LibraryModel } from '../../shared/domain';
import { AppError } from '../../shared/result';
import type { LibraryListQuery, LibraryStore } from '../library/store';
import type { EngineApi } from '../services-types';
import type { EngineEvents } from './types';

export function createLibraryApi(library: LibraryStore, emit: EngineEvents['library']): EngineApi['library'] {
  const mustExist = (model: LibraryModel | null): LibraryModel => {
    if (!model) throw new AppError('not_found', 'That model was not found. It may have been deleted.');
    return model;
  };
  return {
    list: (q: LibraryListQuery) => library.list(q),
    get: (id) => library.get(id),
    filePath: (id) => library.filePath(id),
    previewPath: (id) => library.previewPath(id),
    rename(id, name) {
      const model = mustExist(library.rename(id, name));
      emit({ kind: 'updated', id });
      return model;
    },
    delete(id) {
      const deleted = library.delete(id);
      if (deleted) emit({ kind: 'removed', id });
      return deleted;
    },
    setTags(id, tags) {
      const model = mustExist(library.setTags(id, tags));
      emit({ kind: 'updated', id });
      return model;
    },
  };
}
