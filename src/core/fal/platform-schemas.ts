// The shapes of FAL's platform API answers (request history, prices, estimates, billing events,
// usage, account), as zod schemas: every answer is checked against one before it is used.
import { z } from 'zod';
import { isFalRequestId } from './request-id';

const Iso = z.string().min(1);
const Money = z.number();

export const RequestRowSchema = z.looseObject({
  // Adopted by the reconciler and then followed: an id no request can have fails the whole page
  // (FAL "cannot be asked"), never "no record" - that row may be the very submit looked for.
  request_id: z.string().refine(isFalRequestId, 'not a FAL request id'),
  endpoint_id: z.string(),
  sent_at: Iso.nullish(),
  started_at: Iso.nullish(),
  ended_at: Iso.nullish(),
  status_code: z.number().int().nullish(),
  duration: z.number().nullish(),
  json_input: z.unknown().optional(),
  json_output: z.unknown().optional(),
});
export type RequestRow = z.infer<typeof RequestRowSchema>;

const Cursor = { next_cursor: z.string().nullish(), has_more: z.boolean().optional() };
export const RequestPageSchema = z.looseObject({ items: z.array(RequestRowSchema), ...Cursor });

export const PriceSchema = z.looseObject({
  endpoint_id: z.string(),
  unit_price: Money,
  unit: z.string().default('request'),
  currency: z.string().default('USD'),
});
export type Price = z.infer<typeof PriceSchema>;
export const PricePageSchema = z.looseObject({ prices: z.array(PriceSchema), ...Cursor });

export const EstimateSchema = z.looseObject({ estimate_type: z.string(), total_cost: Money, currency: z.string().default('USD') });
export type Estimate = z.infer<typeof EstimateSchema>;

export const BillingEventSchema = z.looseObject({
  request_id: z.string(),
  endpoint_id: z.string(),
  timestamp: Iso,
  output_units: z.number().nullish(),
  unit_price: Money.nullish(),
  percent_discount: z.number().nullish(),
  cost_subtotal: Money.nullish(),
  cost_discount: Money.nullish(),
  cost_total: Money.nullish(),
  cost_estimate_nano_usd: z.number().nullish(),
});
export type BillingEvent = z.infer<typeof BillingEventSchema>;
export const BillingPageSchema = z.looseObject({ billing_events: z.array(BillingEventSchema), ...Cursor });

export const UsageRowSchema = z.looseObject({
  endpoint_id: z.string(),
  unit: z.string().nullish(),
  quantity: z.number().nullish(),
  cost_total: Money.nullish(),
  cost: Money.nullish(),
  currency: z.string().nullish(),
});
export const UsagePageSchema = z.looseObject({
  summary: z.array(UsageRowSchema).optional(),
  time_series: z.array(z.looseObject({ bucket: z.string(), results: z.array(UsageRowSchema) })).optional(),
  ...Cursor,
});
export type Usage = z.infer<typeof UsagePageSchema>;

export const AccountSchema = z.looseObject({
  username: z.string().nullish(),
  credits: z.looseObject({ current_balance: Money, currency: z.string().default('USD') }).nullish(),
});
export type Account = z.infer<typeof AccountSchema>;
