// The studio's plan for one model: worked out in the main process (nothing written) whenever the recipe
// settles for a moment, with a preview GLB whose object URL lives as long as its answer.
import { useEffect, useState } from 'react';
import type { ExportRecipe } from '../../../../shared/export-recipe';
import { call } from '../../api';
import { useDebounced } from '../../hooks/useDebounced';
import { errorMessage } from '../../lib/errors';
import { planView, type PlanAnswer, type PlanView } from './plan-view';

/** `modelId` null: nothing to plan (a batch, or no recipe yet); `invalid`: the real size is out of range (its field says why). */
export function usePlan(modelId: string | null, presetId: string, recipe: ExportRecipe | null, invalid: boolean): PlanView {
  const [answer, setAnswer] = useState<PlanAnswer | null>(null);
  const wanted = modelId !== null && recipe && !invalid ? JSON.stringify([modelId, presetId, recipe]) : null;
  const planInput = useDebounced(wanted, 400);
  const planning = modelId !== null;
  useEffect(() => {
    if (!planInput || !planning) return;
    const [id, pid, r] = JSON.parse(planInput) as [string, string, ExportRecipe];
    let live = true;
    let url: string | null = null;
    call('export:plan', { id, recipe: r, presetId: pid }).then(
      ({ plan: next, preview }) => {
        if (!live) return;
        url = URL.createObjectURL(new Blob([preview as Uint8Array<ArrayBuffer>], { type: 'model/gltf-binary' }));
        setAnswer({ key: planInput, plan: next, previewUrl: url });
      },
      (err: unknown) => live && setAnswer({ key: planInput, error: errorMessage(err) }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [planInput, planning]);

  // Until the plan for what the form says arrives (also while the recipe settles) the last result stays
  // on screen marked pending, and Export waits; not at all while the real size is out of range.
  return planView(wanted, answer, invalid);
}
