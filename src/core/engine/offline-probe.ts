// FAL unreachable: the queue says so and probes every probeIntervalMs (while the engine runs) until any
// HTTP answer from FAL (or the proxy) says the network is back, then wakes the claim loop.
import type { Logger } from './types';

export interface OfflineProbeDeps {
  fetch: typeof fetch;
  now: () => number;
  probeIntervalMs: number;
  /** Where to probe: the proxy FAL calls go through, or FAL's queue. */
  proxyUrl: () => string | null;
  /** FAL's own words go out in `queue` events: never with the key in them. */
  redact: (text: string) => string;
  logger: Logger;
  /** The queue state changed (`urgent`: its status did). */
  changed: (urgent?: boolean) => void;
  /** Work may be claimable again (back online). */
  wake: () => void;
}

export interface OfflineProbe {
  /** Offline's message and the next probe; null: online. */
  state(): { message: string; nextProbeAt: number } | null;
  goOffline(text: string): void;
  goOnline(): void;
  /** The proxy changed: probe the new one at once. */
  probeNow(): void;
  setRunning(running: boolean): void;
}

export function createOfflineProbe(deps: OfflineProbeDeps): OfflineProbe {
  const { now, logger } = deps;
  let offline: { message: string; nextProbeAt: number } | null = null;
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;

  function goOffline(text: string): void {
    const first = offline === null;
    const message = deps.redact(text);
    offline = { message, nextProbeAt: now() + deps.probeIntervalMs };
    if (first) logger.warn(`FAL unreachable: ${message}`);
    scheduleProbe();
    deps.changed(first);
  }
  function goOnline(): void {
    if (offline === null) return;
    offline = null;
    clearProbe();
    logger.info('FAL reachable again');
    deps.changed(true);
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
      const response = await deps.fetch(deps.proxyUrl() ?? 'https://queue.fal.run/', { method: 'GET', signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel().catch(() => undefined);
      goOnline();
    } catch {
      if (offline !== null) {
        offline.nextProbeAt = now() + deps.probeIntervalMs;
        scheduleProbe();
        deps.changed();
      }
    }
  }

  return {
    state: () => offline,
    goOffline,
    goOnline,
    probeNow() {
      if (!offline) return;
      offline.nextProbeAt = now();
      clearProbe();
      scheduleProbe();
    },
    setRunning(value) {
      running = value;
      if (running) scheduleProbe();
      else clearProbe();
    },
  };
}
