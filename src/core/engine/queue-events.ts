// The `queue` event, emitted on change only. The queue state (counts over the whole table) is computed
// at most every QUEUE_STATE_EVERY_MS: at once for the first change, then once more for whatever changed
// meanwhile. A busy queue changes many times a millisecond; nobody reads faster. `urgent`: the status
// itself changes (key rejected or fixed, offline, online) - sent at once, so a short-lived status is not
// coalesced away.
import type { QueueState } from '../../shared/domain';

const QUEUE_STATE_EVERY_MS = 100;

/** Returns `changed(urgent?)`: the queue state may have changed. */
export function createQueueEvents(queueState: () => QueueState, emit: (state: QueueState) => void): (urgent?: boolean) => void {
  let lastQueueJson = '';
  let emitPending = false;
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
      emit(state);
    });
  }
  return changed;
}
