// The request statistics the app keeps about its FAL calls (the Stats view, `image2model stats`).
// Pure zod, shared by core, CLI and renderer.
import { z } from 'zod';

/** Upper bounds (seconds) of the request-duration histogram; one more bucket holds the rest (+Inf). */
export const DURATION_BUCKETS_S = [1, 5, 10, 30, 60, 120, 300, 600] as const;

/** How a FAL request ended. `uncertain`: the submit's answer was lost, FAL may or may not have it. */
export const REQUEST_STATUSES = ['succeeded', 'failed', 'canceled', 'uncertain'] as const;
export const RequestStatusSchema = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatusSchema>;

/** Epoch-ms window [from, to); either end open when missing. */
export const StatsQuerySchema = z
  .object({
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  })
  .optional();
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

const Count = z.number().int().nonnegative();
const Usd = z.number().nonnegative();

export const ModelStatsSchema = z.object({
  endpoint: z.string(),
  requests: Count,
  succeeded: Count,
  failed: Count,
  canceled: Count,
  uncertain: Count,
  /** Requests per duration bucket (not cumulative): DURATION_BUCKETS_S, then one for longer ones. */
  durationBuckets: z.array(Count).length(DURATION_BUCKETS_S.length + 1),
  durationSumS: z.number().nonnegative(),
  rateLimits: Count,
  billableUnits: z.number().nonnegative(),
  /** Estimated cost of the requests whose real cost is not known. */
  estimatedUsd: Usd,
  /** Real cost, from FAL's billing records, where known. */
  realUsd: Usd,
});
export type ModelStats = z.infer<typeof ModelStatsSchema>;

export const StatsReportSchema = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  models: z.array(ModelStatsSchema),
  errors: z.array(z.object({ endpoint: z.string(), errorType: z.string(), count: Count })),
  /** Local calendar days, oldest first; only days with requests. */
  spendByDay: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), requests: Count, estimatedUsd: Usd, realUsd: Usd })),
});
export type StatsReport = z.infer<typeof StatsReportSchema>;
