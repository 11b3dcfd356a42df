// Messages between the GLB check worker (glb-worker.ts) and the engine, checked with zod on both sides.
import { z } from 'zod';
import { ModelStatsSchema } from '../../shared/domain';
import { BytesSchema } from '../workers/bytes-schema';

export const GlbCheckRequestSchema = z.object({ type: z.literal('validate'), bytes: BytesSchema });
export type GlbCheckRequest = z.infer<typeof GlbCheckRequestSchema>;

const GlbValidationResultSchema = z.union([
  z.object({ ok: z.literal(true), stats: ModelStatsSchema }),
  z.object({ ok: z.literal(false), reason: z.string(), issues: z.array(z.string()).optional() }),
]);

export const GlbCheckAnswerSchema = z.discriminatedUnion('type', [
  /** threadId: the thread that did the work (tests check it is not the engine's). */
  z.object({ type: z.literal('done'), threadId: z.number().int(), result: GlbValidationResultSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type GlbCheckAnswer = z.infer<typeof GlbCheckAnswerSchema>;
