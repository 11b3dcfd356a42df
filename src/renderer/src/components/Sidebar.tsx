// Left navigation: the places of the app, what is running, what it cost today, and About.
import type { View } from '../app-context';
import type { CostSummary } from '../hooks/useCostSummary';
import { formatUsd } from '../lib/format';
import { unfinished, unfinishedText, type QueueCounts } from '../features/queue/queue-counts';
import { Icon, type IconName } from './Icon';

const ITEMS: { view: View; label: string; icon: IconName; shortcut: string }[] = [
  { view: 'create', label: 'Create', icon: 'create', shortcut: '1' },
  { view: 'library', label: 'Library', icon: 'library', shortcut: '2' },
  { view: 'settings', label: 'Settings', icon: 'settings', shortcut: '3' },
  { view: 'stats', label: 'Stats', icon: 'chart', shortcut: '4' },
];

export interface SidebarProps {
  view: View;
  onNavigate(view: View): void;
  onAbout(): void;
  /** The queue's counts (the header's): the badge shows the unfinished jobs. */
  counts: QueueCounts;
  attention: boolean;
  libraryCount: number | null;
  cost: CostSummary | null;
}

export function Sidebar({ view, onNavigate, onAbout, counts, attention, libraryCount, cost }: SidebarProps) {
  const openJobs = unfinished(counts);
  const badgeText = attention ? 'The queue needs attention' : unfinishedText(counts);
  return (
    <aside className="sidebar">
      <div className="brand">
        <div className="brand-mark">
          <Icon name="cube" size={18} />
        </div>
        <span>Image2Model</span>
      </div>
      <nav className="nav" aria-label="Main">
        {ITEMS.map((item) => (
          <button
            key={item.view}
            type="button"
            className="nav-item"
            aria-current={view === item.view ? 'page' : undefined}
            aria-keyshortcuts={`Control+${item.shortcut}`}
            title={`${item.label} (Ctrl+${item.shortcut})`}
            onClick={() => onNavigate(item.view)}
          >
            <Icon name={item.icon} />
            <span>{item.label}</span>
            {item.view === 'create' && (openJobs > 0 || attention) && (
              <span className={attention ? 'nav-badge nav-badge-warning' : 'nav-badge'} aria-label={badgeText} title={badgeText}>
                {attention ? '!' : openJobs}
              </span>
            )}
            {item.view === 'library' && libraryCount !== null && libraryCount > 0 && (
              <span className="faint nav-count" aria-label={`${libraryCount} models`}>
                {libraryCount.toLocaleString()}
              </span>
            )}
          </button>
        ))}
      </nav>
      <div className="sidebar-footer">
        {cost && (
          <div className="usage-mini" aria-label="Spending">
            <span>Today</span>
            <strong>{cost.todayUsd > 0 ? formatUsd(cost.todayUsd) : '$0.00'}</strong>
            <span>This month</span>
            <strong>
              {cost.monthUsd > 0 ? formatUsd(cost.monthUsd) : '$0.00'}
              {cost.capUsd !== null && <span className="faint"> / {formatUsd(cost.capUsd)}</span>}
            </strong>
          </div>
        )}
        <button type="button" className="button button-ghost button-small" onClick={onAbout}>
          <Icon name="info" size={16} />
          <span>About</span>
        </button>
      </div>
    </aside>
  );
}
