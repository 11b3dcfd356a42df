// The set being composed before it is sent: which image has which view (view models) and the
// order of the images (ordered models). Pure functions over plain data, so the rules are testable.
import { VIEW_ROLES, assignViewRoles, type ViewRole } from '../../../../shared/input-roles';

export interface SetDraft {
  /** Image keys in the order the user arranged them. */
  order: string[];
  /** The view of each image (null: not used by a view model). */
  roles: Record<string, ViewRole | null>;
}

export function initialDraft(items: readonly { key: string; name: string }[]): SetDraft {
  const guessed = assignViewRoles(items.map((item) => item.name));
  return {
    order: items.map((item) => item.key),
    roles: Object.fromEntries(items.map((item, i) => [item.key, guessed[i] ?? null])),
  };
}

/** Gives `key` this view; the image that had it takes `key`'s old view (a swap), or none. */
export function setRole(draft: SetDraft, key: string, role: ViewRole | null): SetDraft {
  const previous = draft.roles[key] ?? null;
  const roles = { ...draft.roles, [key]: role };
  if (role !== null) {
    for (const other of draft.order) {
      if (other !== key && draft.roles[other] === role) roles[other] = previous;
    }
  }
  return { ...draft, roles };
}

/** Moves `key` to `index` in the order (clamped). */
export function moveTo(draft: SetDraft, key: string, index: number): SetDraft {
  const rest = draft.order.filter((k) => k !== key);
  if (rest.length === draft.order.length) return draft;
  const at = Math.max(0, Math.min(index, rest.length));
  return { ...draft, order: [...rest.slice(0, at), key, ...rest.slice(at)] };
}

export function remove(draft: SetDraft, key: string): SetDraft {
  const roles = { ...draft.roles };
  delete roles[key];
  return { order: draft.order.filter((k) => k !== key), roles };
}

/** The images a model gets, in order: by view for view models (front, left, back, right), else all. */
export function membersOf(draft: SetDraft, views: readonly ViewRole[] | null): { key: string; role: ViewRole | null }[] {
  if (!views) return draft.order.map((key) => ({ key, role: null }));
  return VIEW_ROLES.filter((view) => views.includes(view)).flatMap((view) => {
    const key = draft.order.find((k) => draft.roles[k] === view);
    return key ? [{ key, role: view }] : [];
  });
}
