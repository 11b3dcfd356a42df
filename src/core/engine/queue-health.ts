// Whether FAL work may run right now, for the whole queue: the disk has not failed a sync (then nothing
// more is sent until a restart), a key is there and was not refused, FAL is reachable (an offline
// queue probes until it is: offline-probe.ts), and the month's spending cap is not reached
// (spending-cap.ts). Also owns the FAL client for the current key and proxy. What the queue says:
// queue-state.ts; the `queue` event: queue-events.ts.
import type { QueueState } from '../../shared/domain';
import { SLOW_SYNC_MS } from '../db/wal-sync';
import { createFal, type FalClient } from '../fal/client';
import { redactSecrets } from '../fal/redact';
import type { JobStore } from '../queue/store';
import { createOfflineProbe } from './offline-probe';
import { createQueueEvents } from './queue-events';
import { describeQueue } from './queue-state';
import type { QueueSignals } from './run-context';
import { createSpendingCap } from './spending-cap';
import type { Logger } from './types';

export interface QueueHealthDeps {
  store: JobStore;
  safeKey: () => string | null;
  /** Hides every FAL key the app holds (default: the key only). */
  redact?: (text: string) => string;
  proxyUrl: string | null;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  probeIntervalMs: number;
  now: () => number;
  getSpendingCapUsd?: () => number | null;
  /** When a waiting sync to disk is reported slow, for the disk_slow state's message (default SLOW_SYNC_MS). */
  slowSyncMs?: number;
  /** What the cap counts (default: estimates recorded at submission). */
  spendBetween?: (from: number, to: number) => number;
  logger: Logger;
  emit: (state: QueueState) => void;
  /** Work may be claimable again (back online). */
  wake: () => void;
}

export interface QueueHealth {
  /** The client for the current key and proxy; null when no key is configured. */
  fal(): FalClient | null;
  /** `exceptJobId`: a claimed job asking for itself (its own estimate is not counted against the cap). */
  falAllowed(exceptJobId?: string): boolean;
  /** FAL can be talked to (a key it has not rejected, online), the spending cap aside: following a job it already has costs nothing. */
  falReachable(): boolean;
  /** Files FAL made can be fetched (online): a kept model link needs no key. */
  linksReachable(): boolean;
  queueState(): QueueState;
  /** Emits the queue state if it changed (coalesced per tick). */
  changed(): void;
  /** What a job tells the queue when it learns something about FAL. */
  signals: QueueSignals;
  setProxyUrl(url: string | null): void;
  /** The proxy FAL calls go through now (results from it may be plain http on this computer). */
  proxyUrl(): string | null;
  keyChanged(): void;
  /** Starts (or stops) probing while offline. */
  setRunning(running: boolean): void;
  monthStart(at: number): number;
}

export function createQueueHealth(deps: QueueHealthDeps): QueueHealth {
  const { store, safeKey, logger } = deps;
  const redact = deps.redact ?? ((text: string) => redactSecrets(text, safeKey()));
  let proxyUrl = deps.proxyUrl;
  /**
   * The key FAL refused, with its message and why (`balance`: the account's balance is used up, the
   * key is right); a different key clears it by itself.
   */
  let rejected: { key: string | null; message: string; balance: boolean } | null = null;
  const refusal = () => (rejected && rejected.key === safeKey() ? rejected : null);
  const keyRejected = (): string | null => refusal()?.message ?? null;
  let client: { key: string; proxy: string | null; fal: FalClient } | null = null;
  /** A sync has waited for the disk past slowSyncMs (a hung disk); nothing failed. */
  let slowDisk = false;

  function fal(): FalClient | null {
    const key = safeKey();
    if (!key) return null;
    if (!client || client.key !== key || client.proxy !== proxyUrl) {
      client = { key, proxy: proxyUrl, fal: createFal({ key, proxyUrl, fetch: deps.fetch, requestTimeoutMs: deps.requestTimeoutMs }) };
    }
    return client.fal;
  }

  const cap = createSpendingCap(deps);
  const queueState = (): QueueState =>
    describeQueue({
      counts: store.counts(),
      diskFailure: store.diskFailure(),
      slowDisk,
      slowSyncMs: deps.slowSyncMs,
      refusal: refusal(),
      hasKey: !!safeKey(),
      offline: probe.state(),
      capUse: () => cap.use(),
    });
  const changed = createQueueEvents(queueState, deps.emit);
  const statusChanged = () => changed(true);
  const probe = createOfflineProbe({
    fetch: deps.fetch,
    now: deps.now,
    probeIntervalMs: deps.probeIntervalMs,
    proxyUrl: () => proxyUrl,
    redact,
    logger,
    changed,
    wake: deps.wake,
  });

  const falReachable = () => !!safeKey() && keyRejected() === null && probe.state() === null;
  // The disk failed a sync: no intent can be made safe, so nothing more is sent (following a job FAL
  // has already costs nothing and goes on).
  const falAllowed = (exceptJobId?: string) => falReachable() && store.diskFailure() === null && !cap.reached(exceptJobId ?? null);

  store.onSlowSync((slow) => {
    slowDisk = slow;
    if (slow) logger.warn(`Saving to disk has taken over ${deps.slowSyncMs ?? SLOW_SYNC_MS} ms; jobs waiting for it wait on`);
    statusChanged();
  });
  store.onDiskFailure((failure) => {
    logger.error('The disk failed a save; nothing more is sent to FAL until a restart:', failure);
    statusChanged();
  });

  function refuse(text: string, balance: boolean): void {
    const message = redact(text);
    if (keyRejected() === null) logger.warn(balance ? `FAL refused jobs, the balance is used up: ${message}` : `FAL rejected the key: ${message}`);
    rejected = { key: safeKey(), message, balance };
    statusChanged();
  }

  return {
    fal,
    falAllowed,
    falReachable,
    linksReachable: () => probe.state() === null,
    queueState,
    changed: () => changed(),
    monthStart: cap.monthStart,
    signals: {
      keyRejected: (text) => refuse(text, false),
      balanceUsedUp: (text) => refuse(text, true),
      offline: probe.goOffline,
      online: probe.goOnline,
      noKey: () => changed(),
    },
    proxyUrl: () => proxyUrl,
    setProxyUrl(url) {
      proxyUrl = url || null;
      client = null;
      probe.probeNow();
    },
    keyChanged() {
      rejected = null;
      client = null;
      statusChanged();
    },
    setRunning: probe.setRunning,
  };
}
