// Version, data folder, key source and shell, as the app core reports them.
import type { AppInfo } from '../../../shared/contract';
import type { KeyStatus } from '../../../shared/domain';

export function AppInfoList({ info, keyStatus, testIds = false }: { info: AppInfo; keyStatus: KeyStatus | null; testIds?: boolean }) {
  const id = (name: string) => (testIds ? name : undefined);
  const configured = keyStatus ? keyStatus.set : info.falKey.configured;
  const source = keyStatus ? keyStatus.source : info.falKey.source;
  return (
    <dl className="about-list" data-testid={id('app-info')}>
      <dt>Version</dt>
      <dd data-testid={id('app-version')}>{info.version}</dd>
      <dt>Data folder</dt>
      <dd className="mono" data-testid={id('app-data-dir')}>
        {info.dataDir}
      </dd>
      <dt>FAL key</dt>
      <dd data-testid={id('app-key')}>{configured ? `Set (${source === 'environment' ? 'environment' : 'stored'})` : 'Not set'}</dd>
      <dt>Running as</dt>
      <dd>
        {info.transport === 'electron' ? 'Desktop app' : 'Browser (development bridge)'} on {info.platform}
      </dd>
    </dl>
  );
}
