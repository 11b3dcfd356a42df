// /_fake/* : a tiny JSON control API so a fake started by the CLI (another process, e.g. under
// Playwright) can be scripted and inspected over HTTP.
//   GET  /_fake/state              jobs, submissions, events, request log, pending rules
//   POST /_fake/script             a FaultRule or an array of them (JSON; retryAfter may be an ISO date)
//   DELETE /_fake/script           drop pending rules
//   POST /_fake/options            RuntimeOptions
//   POST /_fake/complete/<id>      finish a job now
//   POST /_fake/forget/<id>        FAL loses the request
//   POST /_fake/platform           PlatformOptions (listing delay, payloads, down, prices, admin keys...)
//   GET  /_fake/platform           billing events and balance as the platform API would show them
import { jsonReply, parseJson, type Reply } from './http';
import type { FakeFal } from './server';
import type { PlatformOptions } from './platform-types';
import type { FaultRule, RuntimeOptions } from './types';

function reviveRule(raw: unknown): FaultRule {
  const rule = raw as FaultRule & { fault?: { retryAfter?: unknown } };
  const retryAfter = rule.fault?.retryAfter;
  if (rule.fault?.kind === 'rateLimit' && typeof retryAfter === 'string') {
    return { ...rule, fault: { kind: 'rateLimit', retryAfter: new Date(retryAfter) } };
  }
  return rule;
}

export async function handleControl(fake: FakeFal, path: string[], method: string, body: Buffer): Promise<Reply> {
  const [action, id] = path;
  try {
    if (method === 'GET' && action === 'state') {
      return jsonReply(200, {
        url: fake.url,
        jobs: fake.jobs(),
        submissions: fake.submissions,
        events: fake.events,
        requests: fake.requests,
        pendingRules: fake.pendingRules().length,
        uploads: fake.uploads(),
      });
    }
    if (action === 'script' && method === 'POST') {
      const raw = parseJson(body);
      const rules = (Array.isArray(raw) ? raw : [raw]).map(reviveRule);
      fake.script(...rules);
      return jsonReply(200, { pendingRules: fake.pendingRules().length });
    }
    if (action === 'script' && method === 'DELETE') {
      fake.clearScript();
      return jsonReply(200, { pendingRules: 0 });
    }
    if (action === 'options' && method === 'POST') {
      fake.setOptions((parseJson(body) ?? {}) as RuntimeOptions);
      return jsonReply(200, { ok: true });
    }
    if (action === 'platform' && method === 'POST') {
      fake.setPlatform((parseJson(body) ?? {}) as PlatformOptions);
      return jsonReply(200, { ok: true });
    }
    if (action === 'platform' && method === 'GET') {
      return jsonReply(200, { billingEvents: fake.platform.billingEvents(), balanceUsd: fake.platform.balanceUsd() });
    }
    if (action === 'complete' && id && method === 'POST') return jsonReply(200, { ok: fake.completeNow(id) });
    if (action === 'forget' && id && method === 'POST') return jsonReply(200, { ok: fake.forget(id) });
  } catch (error) {
    return jsonReply(400, { detail: String(error) });
  }
  return jsonReply(404, { detail: `fake-fal: unknown control call ${method} /_fake/${path.join('/')}` });
}
