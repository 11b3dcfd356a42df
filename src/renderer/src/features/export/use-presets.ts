// The export studio's presets (built in and saved), the default export folder and any problem reading
// the saved ones; `reload` reads them again and answers with what it read.
import { useCallback, useEffect, useState } from 'react';
import type { ExportPreset } from '../../../../shared/export-recipe';
import { call } from '../../api';

type PresetsState = { presets: ExportPreset[]; defaultDir: string; problem: string | null };

export function usePresets() {
  const [state, setState] = useState<PresetsState | null>(null);
  const reload = useCallback(
    () =>
      call('export:presets').then((next): PresetsState => {
        setState(next);
        return next;
      }),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}
