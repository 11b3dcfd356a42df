// Scripted faults: an ordered list of rules, each used up after `times` matching exchanges, and
// the FAL-shaped answers for the faults that are plain HTTP replies.
import { jsonReply, type Reply } from './http';
import type { FaultRule, HttpFault, Operation, RequestContext } from './types';

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

function endpointMatches(ruleEndpoint: string, endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  // Either side may be the shorter `<owner>/<alias>` form (status/result/cancel drop the sub-path).
  return (
    endpoint === ruleEndpoint || endpoint.startsWith(`${ruleEndpoint}/`) || ruleEndpoint.startsWith(`${endpoint}/`)
  );
}

export class FaultBook {
  private active: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const ops: Operation[] = Array.isArray(rule.op) ? rule.op : [rule.op];
    if (rule.outcome && ops.some((op) => op !== 'submit')) {
      throw new Error('fake-fal: a rule with an outcome must have op "submit"');
    }
    const remaining = rule.times ?? 1;
    if (!(remaining > 0)) throw new Error('fake-fal: times must be > 0');
    this.active.push({ rule, remaining });
  }

  /** The first rule matching this exchange, used up by one. */
  take(ctx: RequestContext): FaultRule | undefined {
    const found = this.active.find(({ rule }) => {
      const ops = Array.isArray(rule.op) ? rule.op : [rule.op];
      if (!ops.includes(ctx.op)) return false;
      if (rule.endpoint !== undefined && !endpointMatches(rule.endpoint, ctx.endpoint)) return false;
      if (rule.requestId !== undefined && rule.requestId !== ctx.requestId) return false;
      return rule.when ? rule.when(ctx) : true;
    });
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining <= 0) this.active = this.active.filter((a) => a !== found);
    return found.rule;
  }

  pending(): FaultRule[] {
    return this.active.map((a) => a.rule);
  }

  clear(): void {
    this.active = [];
  }
}

const INFRA_DEFAULTS: Record<500 | 502 | 503 | 504, { errorType: string; detail: string }> = {
  500: { errorType: 'runner_server_error', detail: 'Internal server error' },
  502: { errorType: 'runner_connection_error', detail: 'Bad gateway' },
  503: { errorType: 'runner_scheduling_failure', detail: 'No runner could be allocated to handle the request' },
  504: { errorType: 'request_timeout', detail: 'Request timed out' },
};

const DEFAULT_FIELD_ERRORS = [
  {
    loc: ['body', 'face_limit'],
    msg: 'ensure this value is less than or equal to 100000',
    type: 'value_error.number.not_le',
  },
];

/** What an S3-style CDN answers for a missing object. */
export const NO_SUCH_KEY_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';

/** Error bodies FAL sends for a bad or locked key (observed wording, may change). */
export const AUTH_DETAIL = {
  401: 'No user found for Key ID and Secret',
  403: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
} as const;

/** The HTTP answer for a fault that is a plain reply; undefined for socket/body faults. */
export function faultReply(fault: HttpFault, requestId?: string): Reply | undefined {
  const idHeader: Record<string, string> = requestId ? { 'x-fal-request-id': requestId } : {};
  switch (fault.kind) {
    case 'rateLimit': {
      const headers = { ...idHeader };
      if (typeof fault.retryAfter === 'number') headers['retry-after'] = String(fault.retryAfter);
      else if (fault.retryAfter instanceof Date) headers['retry-after'] = fault.retryAfter.toUTCString();
      return jsonReply(429, { detail: 'Rate limit exceeded. Please try again later.' }, headers);
    }
    case 'infra': {
      const defaults = INFRA_DEFAULTS[fault.status];
      const errorType = fault.errorType ?? defaults.errorType;
      const headers: Record<string, string> = { ...idHeader, 'x-fal-error-type': errorType };
      if (fault.timeoutType) headers['x-fal-request-timeout-type'] = fault.timeoutType;
      return jsonReply(fault.status, { detail: fault.detail ?? defaults.detail, error_type: errorType }, headers);
    }
    case 'auth': {
      const status = fault.status ?? 401;
      return jsonReply(status, { detail: fault.detail ?? AUTH_DETAIL[status] }, idHeader);
    }
    case 'validation':
      return jsonReply(422, { detail: fault.detail ?? DEFAULT_FIELD_ERRORS }, idHeader);
    case 'http': {
      if (fault.body instanceof Uint8Array) {
        return { status: fault.status, headers: { 'content-type': 'application/octet-stream', ...idHeader, ...fault.headers }, body: Buffer.from(fault.body) };
      }
      const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {});
      const contentType = typeof fault.body === 'string' ? 'text/plain' : 'application/json';
      return {
        status: fault.status,
        headers: { 'content-type': contentType, ...idHeader, ...fault.headers },
        body: Buffer.from(body),
      };
    }
    case 'expired':
      return { status: 404, headers: { 'content-type': 'application/xml' }, body: Buffer.from(NO_SUCH_KEY_XML) };
    default:
      return undefined;
  }
}
