// Why the queue is not starting work, in plain words, with the one action that fixes it.
import { useState } from 'react';
import type { Job, QueueState } from '../../../../shared/domain';
import { Icon, type IconName } from '../../components/Icon';
import { formatDuration } from '../../lib/format';
import { offersRunOffline } from './banner-actions';

/** "a.png, b.png and 3 more" */
function namesOf(jobs: Job[]): string {
  const names = jobs.map((job) => job.inputName.split(/[\\/]/).pop() || job.inputName);
  if (names.length <= 3) return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export interface QueueBannerProps {
  state: QueueState;
  now: number;
  usingOffline: boolean;
  /** FAL jobs that wait (never sent) and the offline generator can make: the banner names them. */
  offlineable: Job[];
  /** Sends `offlineable` to the offline generator; resolves when they switched. */
  onRunOffline(): Promise<void>;
  onSetKey(): void;
  onUseOffline(): void;
  onOpenSpending(): void;
  /** Opens fal.ai's key page in the browser (shown while a key is missing). */
  onGetKey?(): void;
  /** Opens fal.ai's billing page in the browser (shown while the balance is used up). */
  onTopUp?(): void;
  /** Tests the key again (one free call): after topping up, a pass resumes the waiting jobs. */
  onTestKey?(): Promise<void>;
}

interface BannerText {
  icon: IconName;
  tone: 'warning' | 'danger' | 'info';
  title: string;
  text: string;
}

function describe(state: QueueState): BannerText | null {
  const waiting = state.queued > 0;
  switch (state.status) {
    case 'running':
      return null;
    case 'key_rejected':
      return {
        icon: 'key',
        tone: 'danger',
        title: 'FAL did not accept your key',
        text: state.message ?? 'Jobs that use FAL are paused until a working key is set. Nothing was charged for them.',
      };
    case 'balance_used_up':
      // The key is right (FAL's 403 "Exhausted balance"): another key would not help, topping up does.
      return {
        icon: 'warning',
        tone: 'danger',
        title: 'Your FAL balance is used up',
        text: 'Top up at fal.ai/dashboard/billing, then press Test key: the waiting jobs go on once it passes. Nothing was charged for them.',
      };
    case 'no_key':
      return {
        icon: 'key',
        tone: waiting ? 'warning' : 'info',
        title: waiting ? 'Add a FAL key to start these jobs' : 'No FAL key yet',
        text: waiting
          ? (state.message ?? 'Jobs that use FAL wait until a key is set. The offline generator works without one.')
          : 'Try the free offline generator now, or add a FAL key for the AI models.',
      };
    case 'offline':
      return {
        icon: 'offline',
        tone: 'warning',
        title: 'You are offline',
        text: state.message ?? 'The queue continues by itself when the connection is back. Nothing is lost.',
      };
    case 'spending_cap':
      // Until the jobs already started are sent, the cap is used up but not yet spent.
      return {
        icon: 'warning',
        tone: 'warning',
        title: state.capStarting ? 'Spending cap almost reached' : 'Spending cap reached',
        text: state.message ?? 'New FAL jobs wait until next month or until you raise the cap.',
      };
    case 'disk_error':
      // Only a restart clears it (the core keeps a failed save: db/wal-sync.ts); the jobs stay queued.
      return {
        icon: 'warning',
        tone: 'danger',
        title: 'Queue paused: disk error',
        text: state.message ?? 'Nothing more is sent to FAL; the waiting jobs stay in the queue. Check the disk, then restart Image2Model.',
      };
    case 'disk_slow':
      // Nothing failed: a save waits for the disk, and the jobs that need one wait with it.
      return {
        icon: 'warning',
        tone: 'warning',
        title: 'Saving is taking unusually long',
        text: state.message ?? 'Jobs wait until the disk answers. Nothing is lost. If it stays this way, check the disk.',
      };
    case 'paused':
      return { icon: 'pause', tone: 'info', title: 'Queue paused', text: state.message ?? 'No new jobs start while the queue is paused.' };
  }
}

export function QueueBanner({ state, now, usingOffline, offlineable, onRunOffline, onSetKey, onUseOffline, onOpenSpending, onGetKey, onTopUp, onTestKey }: QueueBannerProps) {
  const [switching, setSwitching] = useState(false);
  const [testing, setTesting] = useState(false);
  const banner = describe(state);
  if (!banner) return null;
  const count = offlineable.length;
  const offerOffline = count > 0 && offersRunOffline(state.status);
  const runOffline = () => {
    setSwitching(true);
    void onRunOffline().finally(() => setSwitching(false));
  };
  const resumesIn = state.resumesAt !== null ? state.resumesAt - now : null;
  const keyProblem = state.status === 'key_rejected' || state.status === 'no_key';
  const balance = state.status === 'balance_used_up';
  const testKey = () => {
    if (!onTestKey) return onSetKey();
    setTesting(true);
    void onTestKey().finally(() => setTesting(false));
  };
  return (
    <div className={`banner banner-${banner.tone}`} role="status" data-testid="queue-banner" data-status={state.status}>
      <div className="banner-icon">
        <Icon name={banner.icon} size={20} />
      </div>
      <div className="banner-text">
        <h2>{banner.title}</h2>
        <p>
          {banner.text}
          {resumesIn !== null && resumesIn > 0 && <> Trying again in {formatDuration(resumesIn)}.</>}
        </p>
        {count > 0 && (
          <p className="banner-waiting" data-testid="banner-waiting">
            Waiting: {namesOf(offlineable)}.
          </p>
        )}
        {state.status === 'no_key' && onGetKey && (
          <p className="banner-key-hint" data-testid="banner-key-hint">
            No key yet?{' '}
            <button type="button" className="link-button" onClick={onGetKey}>
              Get one on fal.ai
            </button>
            , then paste it under Add key. Waiting jobs start by themselves once it works.
          </p>
        )}
      </div>
      <div className="banner-actions">
        {keyProblem && (
          <button type="button" className="button button-primary" onClick={onSetKey}>
            <Icon name="key" size={16} />
            {state.status === 'key_rejected' ? 'Update key' : 'Add key'}
          </button>
        )}
        {balance && onTopUp && (
          <button type="button" className="button button-primary" onClick={onTopUp}>
            Top up on fal.ai
            <Icon name="external" size={16} />
          </button>
        )}
        {balance && (
          <button type="button" className="button" onClick={testKey} disabled={testing} data-testid="banner-test-key">
            {testing ? 'Testing…' : 'Test key'}
          </button>
        )}
        {offerOffline && (
          <button type="button" className="button" onClick={runOffline} disabled={switching} data-testid="run-offline">
            {count === 1 ? 'Run this job offline now' : `Run these ${count} jobs offline now`}
          </button>
        )}
        {(keyProblem || balance || state.status === 'spending_cap' || state.status === 'offline') && !usingOffline && (
          <button type="button" className="button button-ghost" onClick={onUseOffline}>
            Use offline for new photos
          </button>
        )}
        {state.status === 'spending_cap' && (
          <button type="button" className="button button-primary" onClick={onOpenSpending}>
            Change the cap
          </button>
        )}
      </div>
    </div>
  );
}
