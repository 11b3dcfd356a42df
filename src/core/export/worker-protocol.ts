// Messages between the export worker thread and the process that runs it, checked with zod on both
// sides (a structured clone keeps types, but not the shape we rely on).
import { z } from 'zod';
import { ExportPlanSchema, ExportRecipeSchema } from '../../shared/export-recipe';
import { BytesSchema as Bytes } from '../workers/bytes-schema';

export const WorkerRequestSchema = z.object({
  type: z.literal('run'),
  source: Bytes,
  recipe: ExportRecipeSchema,
  stem: z.string(),
});
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

export const ExportStepSchema = z.enum(['read', 'place', 'textures', 'simplify', 'glb', 'files', 'report']);
export type ExportStep = z.infer<typeof ExportStepSchema>;

export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: ExportStepSchema }),
  z.object({
    type: z.literal('done'),
    /** The thread that did the work (tests check it is not the caller's). */
    threadId: z.number().int(),
    files: z.array(z.object({ name: z.string(), format: z.string(), data: Bytes, triangles: z.number().int().nullable() })),
    plan: ExportPlanSchema,
    preview: Bytes,
  }),
  /** `lowLevel`: the error came from inside compiled code or memory (util/low-level-error.ts), which its message alone does not say. */
  z.object({ type: z.literal('failed'), message: z.string(), lowLevel: z.boolean().optional() }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;
