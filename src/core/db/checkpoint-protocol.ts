// What the engine and the WAL checkpoint worker (checkpoint-worker.ts) tell each other.
import { z } from 'zod';

export const CheckpointWorkerDataSchema = z.object({
  /** The database file (its WAL is `${file}-wal`). */
  file: z.string().min(1),
  /** A checkpoint is run once the WAL holds this many frames (pages) not in the database yet. */
  walPages: z.number().int().positive(),
  /** How often the WAL's size is looked at. */
  everyMs: z.number().int().positive(),
});
export type CheckpointWorkerData = z.infer<typeof CheckpointWorkerDataSchema>;

export type CheckpointWorkerMessage =
  | { type: 'ready' }
  | { type: 'checkpointed'; pages: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
