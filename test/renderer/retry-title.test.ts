// The queue row's retry tip said "FAL did not charge the first" for any $0 cost, the spend read's
// 'no_charge' guess too (no billing event yet; FAL lists some late), while the engine asks to confirm
// being charged again for it (attack retry-after-no-charge-guess): the tip promised what was not known.
import { describe, expect, it } from 'vitest';
import { retryTitle } from '../../src/renderer/src/features/queue/job-text';
import type { JobCost } from '../../src/renderer/src/lib/cost-text';

const sent = { falRequestId: '0b6f5a4e-3c2d-4e1f-8a9b-7c6d5e4f3a2b' };
const cost = (source: JobCost['source'], usd = 0, refundedUsd?: number): JobCost => ({ jobId: 'j', usd, source, ...(refundedUsd !== undefined && { refundedUsd }) });

describe('the retry tip', () => {
  it('a job never sent: Retry', () => expect(retryTitle({ falRequestId: null }, undefined)).toBe('Retry'));
  it('FAL records $0 (request history, billing): the first was not charged', () => {
    expect(retryTitle(sent, cost('request_history'))).toBe('Generate again (FAL did not charge the first)');
    expect(retryTitle(sent, cost('billing_event'))).toBe('Generate again (FAL did not charge the first)');
  });
  it('no billing event found yet (no_charge), a charge, a refund, or no cost known: charged again', () => {
    expect(retryTitle(sent, cost('no_charge'))).toBe('Generate again (charged again)');
    expect(retryTitle(sent, cost('billing_event', 0.3))).toBe('Generate again (charged again)');
    expect(retryTitle(sent, cost('billing_event', 0, 0.3))).toBe('Generate again (charged again)');
    expect(retryTitle(sent, undefined)).toBe('Generate again (charged again)');
  });
});
