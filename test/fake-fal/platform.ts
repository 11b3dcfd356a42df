// The fake FAL platform API (https://api.fal.ai/v1/...): request history built from what the
// server REALLY received (every accepted submit, including those whose answer was dropped),
// prices, billing events, usage and the balance from the fake's own configured numbers.
// Auth as on FAL: no/invalid key 401, admin-only endpoints 403 to an ordinary key, errors shaped
// `{"error":{"type","message"}}`.
import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, parseJson, type Reply } from './http';
import { DAY_MS, iso, isReply, listParam, paginate, platformError, round6, timeWindow } from './platform-http';
import { nowMs, type Job, type JobBoard } from './jobs';
import type { FakeBillingEvent, FakeRequestRow, PlatformOptions } from './platform-types';
import { billingEventsReply, pricingReply, estimateReply, usageReply, accountReply } from './platform-billing';
import type { Submission } from './types';

export type * from './platform-types';

export interface PlatformDeps {
  submissions: readonly Submission[];
  board: JobBoard;
  /** The queue API's own rule for an acceptable key. */
  validKey: (key: string) => boolean;
}


/** Prices the fake answers with unless told otherwise (deliberately not the app's built-in ones). */
export const DEFAULT_FAKE_PRICES: NonNullable<PlatformOptions['prices']> = {
  'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.25, unit: 'generation' },
  'tripo3d/tripo/v2.5/multiview-to-3d': { unitPrice: 0.25, unit: 'generation' },
  'fal-ai/trellis': { unitPrice: 0.025, unit: 'generation' },
  'fal-ai/trellis/multi': { unitPrice: 0.025, unit: 'generation' },
  'fal-ai/hunyuan3d-v21': { unitPrice: 0.15, unit: 'generation' },
  'fal-ai/hunyuan3d-v3/image-to-3d': { unitPrice: 0.35, unit: 'generation' },
  'fal-ai/hyper3d/rodin': { unitPrice: 0.45, unit: 'generation' },
};

export class FakePlatform {
  options: Required<Omit<PlatformOptions, 'billableUnits'>> & Pick<PlatformOptions, 'billableUnits'>;
  private readonly storeIo = new Map<string, boolean>();

  constructor(
    private readonly deps: PlatformDeps,
    options: PlatformOptions = {},
  ) {
    this.options = {
      adminKeys: [],
      prices: DEFAULT_FAKE_PRICES,
      percentDiscount: 0,
      listingDelayMs: 0,
      storePayloads: true,
      listPending: true,
      down: false,
      denyRequestHistory: false,
      rateLimitedKeys: {},
      extraHistoryRows: [],
      extraBillingEvents: [],
      balanceUsd: 50,
      username: 'fake-team',
      accountDelayMs: 0,
      billableUnits: 1,
      sendBillableUnits: true,
    };
    this.set(options);
  }

  set(update: PlatformOptions): void {
    for (const [key, value] of Object.entries(update)) {
      if (value !== undefined) (this.options as Record<string, unknown>)[key] = value;
    }
  }

  /** Called for every accepted submit: remembers whether its payloads may be stored. */
  noteSubmit(requestId: string, headers: IncomingHttpHeaders): void {
    const raw = headers['x-fal-store-io'];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    this.storeIo.set(requestId, value !== '0' && value?.toLowerCase() !== 'false');
  }

  unitsFor(endpointId: string, input: unknown): number {
    const units = this.options.billableUnits;
    return typeof units === 'function' ? units(endpointId, input) : (units ?? 1);
  }

  isAdmin(key: string): boolean {
    return this.options.adminKeys.includes(key);
  }

  private jobsById(): Map<string, Job> {
    return new Map(this.deps.board.all().map((job) => [job.requestId, job]));
  }

  /** Billing events for every billed request visible now, oldest first. */
  billingEvents(): FakeBillingEvent[] {
    const now = nowMs();
    const jobs = this.jobsById();
    const events: FakeBillingEvent[] = [];
    for (const submission of this.deps.submissions) {
      const job = jobs.get(submission.requestId);
      if (!job || job.state !== 'COMPLETED' || job.completedAt === undefined) continue;
      if (!this.deps.board.snapshot(job).billed || job.completedAt + this.options.listingDelayMs > now) continue;
      const price = this.options.prices[submission.endpointId];
      if (!price) continue;
      const units = this.unitsFor(submission.endpointId, submission.input);
      const subtotal = round6(units * price.unitPrice);
      const discount = round6((subtotal * this.options.percentDiscount) / 100);
      const total = round6(subtotal - discount);
      events.push({
        request_id: submission.requestId,
        endpoint_id: submission.endpointId,
        timestamp: iso(job.completedAt) ?? '',
        output_units: units,
        unit_price: price.unitPrice,
        percent_discount: this.options.percentDiscount || null,
        cost_subtotal: subtotal,
        cost_discount: discount,
        cost_total: total,
        cost_estimate_nano_usd: Math.round(total * 1e9),
      });
    }
    return events;
  }

  balanceUsd(): number {
    return round6(this.options.balanceUsd - this.billingEvents().reduce((sum, e) => sum + e.cost_total, 0));
  }

  async handle(method: string, targetUrl: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Reply> {
    if (this.options.down) return platformError(this.options.down, 'server_error', 'The platform API is temporarily unavailable');
    const url = new URL(targetUrl);
    const path = url.pathname.replace(/\/+$/, '');
    const auth = headers.authorization;
    const key = /^Key (.+)$/.exec((Array.isArray(auth) ? auth[0] : auth) ?? '')?.[1];
    if (key === undefined) return platformError(401, 'authorization_error', 'Missing credentials: send Authorization: Key <key>');
    if (!this.deps.validKey(key) && !this.isAdmin(key)) return platformError(401, 'authorization_error', 'Invalid API key');
    const retryAfter = Object.hasOwn(this.options.rateLimitedKeys, key) ? this.options.rateLimitedKeys[key] : undefined;
    if (retryAfter !== undefined) {
      const reply = platformError(429, 'rate_limited', 'Rate limit exceeded for this key');
      return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfter) } };
    }
    const adminOnly = () => (this.isAdmin(key) ? undefined : platformError(403, 'authorization_error', 'This endpoint requires an ADMIN key'));
    const params = url.searchParams;

    if (method === 'GET' && path === '/v1/models/requests/by-endpoint') return this.byEndpoint(params);
    if (method === 'GET' && path === '/v1/models/pricing') return pricingReply(this, params);
    if (method === 'POST' && path === '/v1/models/pricing/estimate') return estimateReply(this, parseJson(body));
    if (method === 'GET' && path === '/v1/models/billing-events') return adminOnly() ?? billingEventsReply(this, params);
    if (method === 'GET' && path === '/v1/models/usage') return adminOnly() ?? usageReply(this, params);
    if (method === 'GET' && path === '/v1/account/billing') {
      if (this.options.accountDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.accountDelayMs));
      return adminOnly() ?? accountReply(this, params);
    }
    return platformError(404, 'not_found', `fake-fal: no platform route ${method} ${path}`);
  }

  private async byEndpoint(params: URLSearchParams): Promise<Reply> {
    if (this.options.denyRequestHistory) return platformError(403, 'authorization_error', 'This key may not read request history');
    const endpoints = listParam(params, 'endpoint_id');
    if (endpoints.length < 1 || endpoints.length > 50) return platformError(400, 'validation_error', 'endpoint_id is required (1 to 50 values)');
    const requestId = params.get('request_id');
    const window = timeWindow(params, requestId ? 90 * DAY_MS : DAY_MS);
    if (isReply(window)) return window;
    const status = params.get('status');
    if (status !== null && !['success', 'user_error', 'error'].includes(status)) {
      return platformError(400, 'validation_error', 'status must be success, user_error or error');
    }
    const sortBy = params.get('sort_by') ?? 'ended_at';
    if (sortBy !== 'ended_at' && sortBy !== 'duration') return platformError(400, 'validation_error', 'sort_by must be ended_at or duration');
    const withPayloads = listParam(params, 'expand').includes('payloads');

    const now = nowMs();
    const jobs = this.jobsById();
    const rows: { row: FakeRequestRow; job: Job | undefined; stored: boolean; sort: number }[] = [];
    for (const submission of this.deps.submissions) {
      if (!endpoints.includes(submission.endpointId)) continue;
      if (requestId !== null && submission.requestId !== requestId) continue;
      if (submission.at < window.start || submission.at >= window.end || submission.at + this.options.listingDelayMs > now) continue;
      const job = jobs.get(submission.requestId);
      const ended = job?.state === 'COMPLETED';
      if (!ended && !this.options.listPending) continue;
      const code = ended && job ? statusCodeOf(this.deps.board, job) : null;
      if (status !== null && (code === null || statusClass(code) !== status)) continue;
      const duration = ended && job?.startedAt !== undefined && job.completedAt !== undefined ? (job.completedAt - job.startedAt) / 1000 : null;
      rows.push({
        row: {
          request_id: submission.requestId,
          endpoint_id: submission.endpointId,
          sent_at: iso(submission.at) ?? '',
          started_at: iso(job?.startedAt),
          ended_at: ended ? iso(job?.completedAt) : null,
          status_code: code,
          duration,
        },
        job,
        stored: this.options.storePayloads && this.storeIo.get(submission.requestId) !== false,
        sort: sortBy === 'duration' ? (duration ?? Infinity) : ended ? (job?.completedAt ?? 0) : Infinity,
      });
    }
    rows.sort((a, b) => b.sort - a.sort);
    const paged = paginate(rows, params, 50, 100);
    if (isReply(paged)) return paged;
    const items: unknown[] = [];
    for (const { row, job, stored } of paged.page) {
      if (!withPayloads) {
        items.push(row);
        continue;
      }
      const submission = this.deps.submissions.find((s) => s.requestId === row.request_id);
      const output = stored && row.status_code === 200 && job?.result ? await job.result.catch(() => null) : null;
      items.push({ ...row, json_input: stored ? (submission?.input ?? null) : null, json_output: output });
    }
    if (params.get('cursor') === null) items.push(...this.options.extraHistoryRows);
    return jsonReply(200, { items, next_cursor: paged.next_cursor, has_more: paged.has_more });
  }
}

function statusCodeOf(board: JobBoard, job: Job): number {
  const snap = board.snapshot(job);
  if (job.cancelled) return 400;
  if (snap.failed) return job.outcome?.kind === 'failedRun' ? (job.outcome.status ?? 500) : 500;
  return 200;
}

function statusClass(code: number): string {
  if (code >= 500) return 'error';
  if (code >= 400) return 'user_error';
  return 'success';
}
