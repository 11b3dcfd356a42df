// The month's spending cap and what counts against it: spend recorded, sends FAL may have charged that
// are not settled yet (an answer lost: FAL's records settle them), and FAL jobs claimed but not sent yet.
import type { JobStore } from '../queue/store';

export interface CapUse {
  cap: number;
  /** Spend recorded this month, with the possible charges. */
  spent: number;
  /** Sends FAL may have charged (how much, how many). */
  possible: { usd: number; jobs: number };
  /** FAL jobs claimed and not sent yet. */
  pending: { usd: number; jobs: number };
}

export interface SpendingCapDeps {
  store: JobStore;
  now: () => number;
  getSpendingCapUsd?: () => number | null;
  /** What the cap counts (default: estimates recorded at submission). */
  spendBetween?: (from: number, to: number) => number;
}

export interface SpendingCap {
  monthStart(at: number): number;
  /** `exceptJobId`: a claimed job asking for itself (its own estimate is not counted). Null: no cap. */
  use(exceptJobId?: string | null): CapUse | null;
  reached(exceptJobId?: string | null): boolean;
}

export function createSpendingCap(deps: SpendingCapDeps): SpendingCap {
  const { store, now } = deps;
  function monthStart(at: number): number {
    const d = new Date(at);
    return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  }
  function use(exceptJobId: string | null = null): CapUse | null {
    const cap = deps.getSpendingCapUsd?.() ?? null;
    if (cap === null) return null;
    const t = now();
    const possible = store.possibleCharges(monthStart(t), t + 1);
    const spent = (deps.spendBetween ?? ((from, to) => store.spendBetween(from, to)))(monthStart(t), t + 1) + possible.usd;
    return { cap, spent, possible, pending: store.pendingFal(exceptJobId) };
  }
  return {
    monthStart,
    use,
    reached(exceptJobId = null) {
      const current = use(exceptJobId);
      // Jobs already claimed (here or in another process) will add their price when sent: without them,
      // every free slot took a job while the cap looked unreached (cap $0.50, 4 slots: $1.20 spent).
      return current !== null && current.spent + current.pending.usd >= current.cap;
    },
  };
}
