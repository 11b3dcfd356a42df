// Settings: key, generation defaults, photo limits, watched folder, spending, appearance, network, about.
import { useEffect } from 'react';
import type { CostSummary } from '../../hooks/useCostSummary';
import type { KeyApi } from '../../hooks/useKeyStatus';
import { AboutSection } from './AboutSection';
import { AdvancedSection } from './AdvancedSection';
import { AppearanceSection } from './AppearanceSection';
import { GenerationSection } from './GenerationSection';
import { KeySection } from './KeySection';
import { PhotosSection } from './PhotosSection';
import { SpendingSection } from './SpendingSection';
import { WatchSection } from './WatchSection';

export interface SettingsViewProps {
  keys: KeyApi;
  cost: CostSummary | null;
  /** Section to bring into view and focus ('key', 'spending', 'about'...). */
  focus: string | null;
  onFocused(): void;
}

export function SettingsView({ keys, cost, focus, onFocused }: SettingsViewProps) {
  useEffect(() => {
    if (!focus) return;
    const section = document.getElementById(`settings-${focus}`);
    if (section) {
      section.scrollIntoView({ block: 'start' });
      const field =
        section.querySelector<HTMLElement>('input:not([type=radio]):not([type=checkbox])') ?? section.querySelector<HTMLElement>('select, button');
      (field ?? section).focus({ preventScroll: true });
    }
    onFocused();
  }, [focus, onFocused]);

  return (
    <div className="view settings-view">
      <header className="view-header">
        <div>
          <h1>Settings</h1>
          <p>Changes are saved as you make them.</p>
        </div>
      </header>
      <KeySection keys={keys} />
      <GenerationSection />
      <PhotosSection />
      <WatchSection />
      <SpendingSection cost={cost} />
      <AppearanceSection />
      <AdvancedSection />
      <AboutSection keyStatus={keys.status} />
    </div>
  );
}
