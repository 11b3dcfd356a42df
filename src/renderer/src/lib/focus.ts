// Moving the focus from code, visibly. Browsers show the focus ring only after keyboard use, so a
// dialog opened with the mouse focused its safe button with no sign of it: a user who then pressed
// Tab or Enter could not see what they were acting on.

/** Focuses `el` (when given) and shows the focus ring on it, however the user got here. */
export function focusVisibly(el: HTMLElement | null | undefined): void {
  if (!el) return;
  // focusVisible: newer than the DOM typings here.
  if (document.activeElement !== el) el.focus({ focusVisible: true } as FocusOptions);
  if (el.matches(':focus-visible')) return;
  // Already focused (re-focusing changes nothing), or an engine without FocusOptions.focusVisible: a
  // marker the focus styles match too (base.css, controls.css), gone once the focus leaves.
  el.setAttribute('data-focus-ring', '');
  el.addEventListener('blur', () => el.removeAttribute('data-focus-ring'), { once: true });
}
