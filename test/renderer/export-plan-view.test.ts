// The export studio's plan on screen and its Export button: a plan made for another recipe (the last
// valid one, while the form's recipe settles or is planned) is shown pending, never ready to export.
import { describe, expect, it } from 'vitest';
import type { ExportPlan } from '../../src/shared/export-recipe';
import { planView, type PlanAnswer } from '../../src/renderer/src/features/export/plan-view';

const plan = {} as ExportPlan;
const answerFor = (key: string): PlanAnswer => ({ key, plan, previewUrl: `blob:${key}` });

describe('planView', () => {
  it('the plan for the current recipe is ready', () => {
    const view = planView('250mm', answerFor('250mm'), false);
    expect(view).toMatchObject({ working: false, failed: null });
    expect(view.ready?.key).toBe('250mm');
    expect(view.shown?.key).toBe('250mm');
  });

  it('back from out of range to a valid size, the last valid plan is pending until its own arrives', () => {
    // 250 mm planned; then 1e-300 (invalid, never planned); then 120 mm, not yet planned (the debounce runs).
    expect(planView(null, answerFor('250mm'), true)).toMatchObject({ shown: null, ready: null, failed: null });
    const view = planView('120mm', answerFor('250mm'), false);
    expect(view.working).toBe(true);
    expect(view.ready).toBeNull();
    expect(view.shown?.key).toBe('250mm');
    expect(planView('120mm', answerFor('120mm'), false).ready?.key).toBe('120mm');
  });

  it('any change of recipe makes the shown plan pending at once, not after the debounce', () => {
    expect(planView('260mm', answerFor('250mm'), false)).toMatchObject({ working: true, ready: null });
  });

  it('an error is shown for the recipe it was made for only', () => {
    expect(planView('a', { key: 'a', error: 'Too big' }, false)).toMatchObject({ failed: 'Too big', ready: null, shown: null });
    expect(planView('b', { key: 'a', error: 'Too big' }, false)).toMatchObject({ failed: null, working: true });
  });
});
