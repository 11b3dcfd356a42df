// The catalog of generators (FAL and offline) with presets and prices; it does not change at runtime.
import { useEffect, useState } from 'react';
import type { ModelSummary } from '../../../shared/models';
import { call } from '../api';

export function useModels(): ModelSummary[] | null {
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  useEffect(() => {
    call('models:list').then(setModels, () => setModels([]));
  }, []);
  return models;
}
