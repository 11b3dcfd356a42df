// Which actions the queue banner may offer for a state: only ones that can work while it lasts.
import type { QueueStatus } from '../../../../shared/domain';

/**
 * Whether 'Run these jobs offline now' is offered. Not while the disk fails or hangs: the offline
 * generator saves its model (and the switch its job) to that same disk, and the FAL jobs wait only
 * for the disk (a restart, or its answer), not for anything the offline generator could stand in for.
 */
export function offersRunOffline(status: QueueStatus): boolean {
  return status !== 'disk_error' && status !== 'disk_slow';
}
