// Whether FAL work may run right now, for the whole queue: the disk has not failed a sync (then nothing
// more is sent until a restart), a key is there and was not refused, FAL is reachable (an offline
// queue probes until it is), and the month's spending cap is not reached. Also
// owns the FAL client for the current key and proxy, and the `queue` event (emitted on change only).
import type { QueueState } from '../../shared/domain';
import { SLOW_SYNC_MS } from '../db/wal-sync';
import { createFal, type FalClient } from '../fal/client';
import { redactSecrets } from '../fal/redact';
import type { JobStore } from '../queue/store';
import type { QueueSignals } from './run-context';
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

const QUEUE_STATE_EVERY_MS = 100;

/** What the queue says while the disk's failed fsync holds FAL work (db/wal-sync.ts): until a restart. */
export function diskPausedMessage(failure: Error): string {
  const detail = failure.cause instanceof Error ? ` (${failure.cause.message})` : '';
  return `Paused: the disk reported an error while saving${detail}. Nothing more is sent to FAL; the waiting jobs stay in the queue. Check the disk, then restart Image2Model.`;
}

export function createQueueHealth(deps: QueueHealthDeps): QueueHealth {
  const { store, safeKey, now, logger } = deps;
  const redact = deps.redact ?? ((text: string) => redactSecrets(text, safeKey()));
  let proxyUrl = deps.proxyUrl;
  /**
   * The key FAL refused, with its message and why (`balance`: the account's balance is used up, the
   * key is right); a different key clears it by itself.
   */
  let rejected: { key: string | null; message: string; balance: boolean } | null = null;
  const refusal = () => (rejected && rejected.key === safeKey() ? rejected : null);
  const keyRejected = (): string | null => refusal()?.message ?? null;
  let offline: { message: string; nextProbeAt: number } | null = null;
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let lastQueueJson = '';
  let emitPending = false;
  let client: { key: string; proxy: string | null; fal: FalClient } | null = null;

  function fal(): FalClient | null {
    const key = safeKey();
    if (!key) return null;
    if (!client || client.key !== key || client.proxy !== proxyUrl) {
      client = { key, proxy: proxyUrl, fal: createFal({ key, proxyUrl, fetch: deps.fetch, requestTimeoutMs: deps.requestTimeoutMs }) };
    }
    return client.fal;
  }

  function monthStart(at: number): number {
    const d = new Date(at);
    return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  }
  /**
   * The month's cap and what counts against it: spend recorded, sends FAL may have charged that are
   * not settled yet (an answer lost: FAL's records settle them), and FAL jobs claimed but not sent yet.
   * `spent` includes the possible charges (`possible`: how much and how many).
   */
  function capUse(exceptJobId: string | null = null): { cap: number; spent: number; possible: { usd: number; jobs: number }; pending: { usd: number; jobs: number } } | null {
    const cap = deps.getSpendingCapUsd?.() ?? null;
    if (cap === null) return null;
    const t = now();
    const possible = store.possibleCharges(monthStart(t), t + 1);
    const spent = (deps.spendBetween ?? ((from, to) => store.spendBetween(from, to)))(monthStart(t), t + 1) + possible.usd;
    return { cap, spent, possible, pending: store.pendingFal(exceptJobId) };
  }
  function spendingCapReached(exceptJobId: string | null = null): boolean {
    const use = capUse(exceptJobId);
    // Jobs already claimed (here or in another process) will add their price when sent: without them,
    // every free slot took a job while the cap looked unreached (cap $0.50, 4 slots: $1.20 spent).
    return use !== null && use.spent + use.pending.usd >= use.cap;
  }
  const falReachable = () => !!safeKey() && keyRejected() === null && offline === null;
  // The disk failed a sync: no intent can be made safe, so nothing more is sent (following a job FAL
  // has already costs nothing and goes on).
  const falAllowed = (exceptJobId?: string) => falReachable() && store.diskFailure() === null && !spendingCapReached(exceptJobId ?? null);

  function queueState(): QueueState {
    const counts = store.counts();
    const base = { running: counts.active, queued: counts.queued };
    // First: only a restart ends it, whatever else is fixed.
    const disk = store.diskFailure();
    if (disk !== null) return { status: 'disk_error', message: diskPausedMessage(disk), ...base, resumesAt: null };
    if (slowDisk) {
      const seconds = Math.round((deps.slowSyncMs ?? SLOW_SYNC_MS) / 1000);
      const message = `Saving to disk is taking unusually long (over ${seconds} s): new jobs and jobs about to be sent to FAL wait until the disk answers. Nothing is lost. If it stays this way, check the disk (free space, errors, a network or USB drive).`;
      return { status: 'disk_slow', message, ...base, resumesAt: null };
    }
    const refused = refusal();
    if (refused !== null) return { status: refused.balance ? 'balance_used_up' : 'key_rejected', message: refused.message, ...base, resumesAt: null };
    // A job whose kept model link needs no key is not waiting for one.
    if (!safeKey() && counts.queuedNeedingKey > 0) {
      return {
        status: 'no_key',
        message: 'Add a FAL key in Settings to run the waiting jobs, or run them offline on this computer.',
        ...base,
        resumesAt: null,
      };
    }
    if (offline !== null) return { status: 'offline', message: offline.message, ...base, resumesAt: offline.nextProbeAt };
    // Held by the cap: only what would be charged (a job fetching what FAL made is claimed anyway).
    const use = counts.queuedFalToSend > 0 ? capUse() : null;
    if (use !== null && use.spent + use.pending.usd >= use.cap) {
      // Reached only once it is spent: until the jobs already started are sent, they are what uses it up.
      if (use.spent < use.cap && use.pending.jobs > 0) {
        const started = use.pending.jobs === 1 ? '1 job already started uses' : `${use.pending.jobs} jobs already started use`;
        return {
          status: 'spending_cap',
          message: `${started} up the rest of this month's spending cap and will still run; the other FAL jobs wait until it is raised.`,
          ...base,
          resumesAt: null,
          capStarting: use.pending.jobs,
        };
      }
      const uncertain =
        use.possible.jobs === 0
          ? ''
          : ` (counting ${use.possible.jobs === 1 ? 'a job' : `${use.possible.jobs} jobs`} FAL may have charged, until FAL's records settle ${use.possible.jobs === 1 ? 'it' : 'them'})`;
      return { status: 'spending_cap', message: `This month's spending cap is reached${uncertain}; FAL jobs wait until it is raised.`, ...base, resumesAt: null };
    }
    return { status: 'running', message: null, ...base, resumesAt: null };
  }

  // The queue state (counts over the whole table) is computed at most every QUEUE_STATE_EVERY_MS:
  // at once for the first change, then once more for whatever changed meanwhile. A busy queue
  // changes many times a millisecond; nobody reads faster. `urgent`: the status itself changes (key
  // rejected or fixed, offline, online) - sent at once, so a short-lived status is not coalesced away.
  let cooldown: ReturnType<typeof setTimeout> | null = null;
  let changedMeanwhile = false;
  function changed(urgent = false): void {
    if (cooldown && !urgent) {
      changedMeanwhile = true;
      return;
    }
    if (emitPending) return;
    emitPending = true;
    queueMicrotask(() => {
      emitPending = false;
      cooldown ??= setTimeout(() => {
        cooldown = null;
        if (!changedMeanwhile) return;
        changedMeanwhile = false;
        changed();
      }, QUEUE_STATE_EVERY_MS);
      cooldown.unref?.();
      let state: QueueState;
      try {
        state = queueState();
      } catch {
        return; // database closed
      }
      const json = JSON.stringify(state);
      if (json === lastQueueJson) return;
      lastQueueJson = json;
      deps.emit(state);
    });
  }
  const statusChanged = () => changed(true);
  /** A sync has waited for the disk past slowSyncMs (a hung disk); nothing failed. */
  let slowDisk = false;
  store.onSlowSync((slow) => {
    slowDisk = slow;
    if (slow) logger.warn(`Saving to disk has taken over ${deps.slowSyncMs ?? SLOW_SYNC_MS} ms; jobs waiting for it wait on`);
    statusChanged();
  });
  store.onDiskFailure((failure) => {
    logger.error('The disk failed a save; nothing more is sent to FAL until a restart:', failure);
    statusChanged();
  });

  // ---- offline probing ----------------------------------------------------------------------------

  function goOffline(text: string): void {
    const first = offline === null;
    // FAL's own words go out in `queue` events and queue:state: never with the key in them.
    const message = redact(text);
    offline = { message, nextProbeAt: now() + deps.probeIntervalMs };
    if (first) logger.warn(`FAL unreachable: ${message}`);
    scheduleProbe();
    changed(first);
  }
  function goOnline(): void {
    if (offline === null) return;
    offline = null;
    clearProbe();
    logger.info('FAL reachable again');
    statusChanged();
    deps.wake();
  }
  function clearProbe(): void {
    if (probeTimer) clearTimeout(probeTimer);
    probeTimer = null;
  }
  function scheduleProbe(): void {
    if (!running || probeTimer || offline === null) return;
    const delay = Math.max(0, offline.nextProbeAt - now());
    probeTimer = setTimeout(() => {
      probeTimer = null;
      void probe();
    }, delay);
  }
  /** Any HTTP answer from FAL (or the proxy) means the network is back. */
  async function probe(): Promise<void> {
    if (offline === null || !running) return;
    try {
      const response = await deps.fetch(proxyUrl ?? 'https://queue.fal.run/', { method: 'GET', signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel().catch(() => undefined);
      goOnline();
    } catch {
      if (offline !== null) {
        offline.nextProbeAt = now() + deps.probeIntervalMs;
        scheduleProbe();
        changed();
      }
    }
  }

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
    linksReachable: () => offline === null,
    queueState,
    changed: () => changed(),
    monthStart,
    signals: {
      keyRejected: (text) => refuse(text, false),
      balanceUsedUp: (text) => refuse(text, true),
      offline: goOffline,
      online: goOnline,
      noKey: changed,
    },
    proxyUrl: () => proxyUrl,
    setProxyUrl(url) {
      proxyUrl = url || null;
      client = null;
      if (offline) {
        offline.nextProbeAt = now();
        clearProbe();
        scheduleProbe();
      }
    },
    keyChanged() {
      rejected = null;
      client = null;
      statusChanged();
    },
    setRunning(value) {
      running = value;
      if (running) scheduleProbe();
      else clearProbe();
    },
  };
}
