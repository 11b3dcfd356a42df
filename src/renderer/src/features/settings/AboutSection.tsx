// About, at the end of Settings (the sidebar's About button shows the same in a dialog).
import type { KeyStatus } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { AppInfoList } from '../../components/AppInfoList';

export function AboutSection({ keyStatus }: { keyStatus: KeyStatus | null }) {
  const { info } = useApp();
  return (
    <section className="card settings-card" id="settings-about" aria-labelledby="settings-about-title" tabIndex={-1}>
      <div className="card-header">
        <h2 id="settings-about-title">About {info.name}</h2>
      </div>
      <div className="card-body">
        <AppInfoList info={info} keyStatus={keyStatus} />
      </div>
    </section>
  );
}
