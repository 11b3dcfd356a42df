// A batch export from the studio: its id, progress events, Stop, and how it ended. After it ends its
// Stop button stays a disabled "Done"/"Stopped" for BATCH_END_HOLD_MS before it turns into Close.
import { useEffect, useRef, useState } from 'react';
import type { BatchProgress, BatchSummary, ExportRecipe } from '../../../../shared/export-recipe';
import { call } from '../../api';
import { useApiEvent } from '../../hooks/useApiEvent';

/**
 * How long a finished batch's Stop button stays a disabled "Done"/"Stopped" before it turns into
 * Close: a click aimed at Stop just as the batch ends lands on it and does nothing, instead of
 * closing the studio and its summary. Export stays disabled as long (no second batch by the same click).
 */
export const BATCH_END_HOLD_MS = 1500;

export interface BatchRequest {
  /** Models by id, or (null) every match of `query`. */
  ids: string[] | null;
  query: string;
  count: number;
  recipe: ExportRecipe;
  presetId: string;
  dir: string | undefined;
}

export function useBatchRun() {
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [summary, setSummary] = useState<BatchSummary | null>(null);
  const batchId = useRef<string | null>(null);
  /** Stop was pressed for the running batch (the button says Stopping… until it ends). */
  const [stopping, setStopping] = useState(false);
  /** The batch just ended: its Stop button says how, disabled, for BATCH_END_HOLD_MS. */
  const [ended, setEnded] = useState<'done' | 'stopped' | null>(null);
  useEffect(() => {
    if (!ended) return;
    const timer = setTimeout(() => setEnded(null), BATCH_END_HOLD_MS);
    return () => clearTimeout(timer);
  }, [ended]);

  useApiEvent('export:progress', (p) => {
    if (p.batchId === batchId.current) setProgress(p);
  });

  /** Runs the batch to its end; throws what the export answered when it failed. */
  const start = async (request: BatchRequest) => {
    batchId.current = crypto.randomUUID();
    setSummary(null);
    setStopping(false);
    setEnded(null);
    setProgress({ batchId: batchId.current, done: 0, total: request.count, failed: 0, current: null });
    try {
      const result = await call('export:batch', {
        batchId: batchId.current,
        ...(request.ids ? { ids: request.ids } : { query: request.query }),
        recipe: request.recipe,
        presetId: request.presetId,
        dir: request.dir,
      });
      setSummary(result);
      setEnded(result.canceled ? 'stopped' : 'done');
    } finally {
      setStopping(false);
      batchId.current = null;
    }
  };

  const cancel = () => {
    if (!batchId.current) return;
    setStopping(true);
    void call('export:cancel', { batchId: batchId.current });
  };

  return { progress, summary, stopping, ended, start, cancel };
}
