// Which plan the studio shows, and whether Export may use it. A plan belongs to one key (model, preset
// and recipe); while the key the form says has no answer yet - the recipe is settling for the plan's
// debounce, or its plan is being worked out - the last plan stays on screen marked pending and is not
// ready: Export must never sit beside figures made for another recipe.
import type { ExportPlan } from '../../../../shared/export-recipe';

/** The answer for one plan request (`key` names the model, preset and recipe it was made for). */
export type PlanAnswer = { key: string; plan: ExportPlan; previewUrl: string } | { key: string; error: string };
export type PlannedAnswer = Extract<PlanAnswer, { plan: ExportPlan }>;

export interface PlanView {
  /** The current recipe's plan has not arrived yet. */
  working: boolean;
  /** The plan on screen: the current recipe's, or (while working) the last one, shown as pending. */
  shown: PlannedAnswer | null;
  /** The plan for exactly the current recipe; null until it arrives. */
  ready: PlannedAnswer | null;
  /** Why the current recipe could not be planned. */
  failed: string | null;
}

/**
 * `wanted`: the key of what the form says now (null: nothing to plan); `invalid`: the recipe is out of
 * range, never planned, so no earlier plan is shown for it either.
 */
export function planView(wanted: string | null, answer: PlanAnswer | null, invalid: boolean): PlanView {
  const working = wanted !== null && answer?.key !== wanted;
  const shown = !invalid && answer && 'plan' in answer ? answer : null;
  return {
    working,
    shown,
    ready: shown && shown.key === wanted ? shown : null,
    failed: !invalid && !working && answer && 'error' in answer ? answer.error : null,
  };
}
