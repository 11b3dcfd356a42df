// What the page shows of the settings (hooks/settings-sync.ts): the app's last saved settings with the
// changes not answered yet on top; a refused change goes at once, the others stay.
import { describe, expect, it } from 'vitest';
import { createSettingsSync, notSavedMessage } from '../../src/renderer/src/hooks/settings-sync';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

describe('settings sync', () => {
  it('shows a sent change at once, and the saved value again once it is refused', () => {
    const sync = createSettingsSync();
    expect(sync.shown()).toBeNull();
    sync.fromApp({ ...DEFAULT_SETTINGS, theme: 'system' });
    const refused = sync.sent({ theme: 'dark' });
    expect(sync.shown()?.theme).toBe('dark');
    sync.settled(refused); // refused, and nothing read again
    expect(sync.shown()?.theme).toBe('system');
  });

  it('keeps a later change still on its way when an earlier one is refused, on top of what the app sends', () => {
    const sync = createSettingsSync();
    sync.fromApp({ ...DEFAULT_SETTINGS, theme: 'system', defaultPreset: 'standard' });
    const refused = sync.sent({ theme: 'dark' });
    sync.sent({ defaultPreset: 'high' });
    sync.settled(refused);
    expect(sync.shown()).toMatchObject({ theme: 'system', defaultPreset: 'high' });
    sync.fromApp({ ...DEFAULT_SETTINGS, theme: 'light', defaultPreset: 'standard' }); // another window saved a theme
    expect(sync.shown()).toMatchObject({ theme: 'light', defaultPreset: 'high' });
  });

  it('says the change was not saved, why, and what to do', () => {
    expect(notSavedMessage('The settings file could not be written (EACCES)')).toBe(
      'The change was not saved: The settings file could not be written (EACCES). Settings shows what was saved before (the app could not be asked again either). Make the change again in a moment; if it fails again, restart Image2Model.',
    );
  });
});
