// FAL's request history says a request that ended with a 4xx without ever starting was not charged
// (queue time is free): its row has started_at null. A row with no started_at field at all (a broken
// or hostile answer, a changed API) says nothing of whether it started, but was read as "never
// started" and the possible charge settled as not charged - a guess, where FAL's record must decide.
import { describe, expect, it } from 'vitest';
import { readRequestRows } from '../../src/core/fal/platform-schemas';
import { lookupOutcome } from '../../src/core/spend/history-settle';

const ID = '0b6f5a4e-3c2d-4e1f-8a9b-7c6d5e4f3a2b';
const base = { request_id: ID, endpoint_id: 'tripo3d/tripo/v2.5/image-to-3d', sent_at: '2026-12-01T10:00:00Z', ended_at: '2026-12-01T10:01:00Z', status_code: 422 };
const outcome = (row: object) => lookupOutcome(ID, readRequestRows([row], []));

describe('a 4xx history row', () => {
  it('with started_at null (FAL says it never started): not charged', () => {
    expect(outcome({ ...base, started_at: null })).toBe('not_charged');
  });

  it('with a start time: stays possible (only billing records tell)', () => {
    expect(outcome({ ...base, started_at: '2026-12-01T10:00:30Z' })).toBe('undecidable');
  });

  it('without the started_at field: proves nothing, stays possible and is asked again', () => {
    expect(outcome(base)).toBe('unreadable');
  });
});
