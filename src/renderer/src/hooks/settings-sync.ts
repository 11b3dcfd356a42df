// What the page shows of the settings: the last ones the app said it holds (saved), with the changes it
// has not answered yet applied on top in the order sent. A change the app refuses is dropped from that
// at once, so what shows is never a value that was not saved - even when the app can't be asked again.
import { withPatch, type PageSettingsPatch, type Settings } from '../../../shared/settings';

export interface SettingsSync {
  /** The app sent its settings (an answer, a read, a settings:changed event). */
  fromApp(next: Settings): void;
  /** A change is sent: shown at once; answers its id. */
  sent(patch: PageSettingsPatch): number;
  /** The change got an answer (saved or refused): it no longer shows on its own. */
  settled(id: number): void;
  /** What to show (null: not read yet). */
  shown(): Settings | null;
}

export function createSettingsSync(): SettingsSync {
  let saved: Settings | null = null;
  const pending = new Map<number, PageSettingsPatch>();
  let nextId = 0;
  return {
    fromApp(next) {
      saved = next;
    },
    sent(patch) {
      const id = nextId++;
      pending.set(id, patch);
      return id;
    },
    settled(id) {
      pending.delete(id);
    },
    shown() {
      if (!saved) return null;
      let shown = saved;
      for (const patch of pending.values()) shown = withPatch(shown, patch);
      return shown;
    },
  };
}

/** A change was refused and the settings could not be read again either: what happened and what to do. */
export function notSavedMessage(reason: string): string {
  return `The change was not saved: ${reason.replace(/\.?$/, '.')} Settings shows what was saved before (the app could not be asked again either). Make the change again in a moment; if it fails again, restart Image2Model.`;
}
