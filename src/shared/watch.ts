// The watched folder as the page sees it: on or off, the folder, why it is paused, what it refused.
import { z } from 'zod';
import { RejectedInputSchema } from './domain';

/** How many refused files the status keeps (newest last). */
export const WATCH_REFUSED_KEPT = 20;

export const WatchStatusSchema = z.object({
  /** off: not watching; watching: scanning the folder; paused: the folder can't be used now (problem says why), tried again. */
  state: z.enum(['off', 'watching', 'paused']),
  folder: z.string().nullable(),
  /** Why the watch is paused (or what went wrong adding images), in words for the user; null when all is well. */
  problem: z.string().nullable(),
  /** Images the watch handed to the queue since the app started (a job made, or joined one on its way). */
  taken: z.number().int().nonnegative(),
  /** Images the watch found already made with the same settings since the app started: no job, nothing charged. */
  alreadyMade: z.number().int().nonnegative(),
  /** Files seen that are still being written (their size or time changed in the last second). */
  waiting: z.number().int().nonnegative(),
  /** Files the watch could not use, with the reason (newest last). */
  refused: z.array(RejectedInputSchema).max(WATCH_REFUSED_KEPT),
});
export type WatchStatus = z.infer<typeof WatchStatusSchema>;

export const WATCH_OFF: WatchStatus = { state: 'off', folder: null, problem: null, taken: 0, alreadyMade: 0, waiting: 0, refused: [] };
