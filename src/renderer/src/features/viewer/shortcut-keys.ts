// When a key press is a viewer shortcut (R, W, D, A, G, B, I, S, V, T, F): a plain letter, not typed
// into a field. The library's viewer also takes them from the rest of the window (the grid, a button),
// as README lists them there: not from inside another viewer (its own), nor while a dialog is open.

interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  repeat: boolean;
  target: EventTarget | null;
}

/** Typing in a field must not trigger shortcuts (a select takes letters to choose an option too). */
export function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** The shortcut letter a key press asks for (lower case), or null when it is none. */
export function shortcutKey(event: KeyLike): string | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.repeat || isTextEntry(event.target)) return null;
  return event.key.length === 1 ? event.key.toLowerCase() : null;
}

/** A key pressed outside every viewer with no dialog open: the window-wide viewer may take it. */
export function isWindowShortcut(event: KeyLike & { defaultPrevented: boolean }, doc: Document): string | null {
  if (event.defaultPrevented || doc.querySelector('dialog[open]')) return null;
  if (event.target instanceof Element && event.target.closest('.mv')) return null;
  return shortcutKey(event);
}
