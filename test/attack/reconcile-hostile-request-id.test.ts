// Attack: FAL's request history (or a proxy in front of it) lists the submit the app is looking for
// under a request id no request can have (a path, a line break, 20 kB). The reconciler adopted it,
// followed it into a 404 and failed the job - while FAL ran and charged the real request. Such a row
// is no answer: the job stays uncertain, and nothing is declared "not received" either.
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

/** A history page listing exactly what was sent, under `requestId`. */
function pageWith(endpointId: string, input: unknown, requestId: string): typeof fetch {
  return async () => {
    const items = [{ request_id: requestId, endpoint_id: endpointId, sent_at: new Date().toISOString(), json_input: input }];
    return new Response(JSON.stringify({ items, next_cursor: null, has_more: false }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

for (const requestId of ['../../../x?y=1#z', 'abc\ndef', 'a'.repeat(20_000)]) {
  it(`a history row whose request id is ${JSON.stringify(requestId.slice(0, 20))} is not adopted; the job stays uncertain`, async () => {
    const h = await fixture.harness();
    h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('needs_attention'));
    expect(h.fake.submissions).toHaveLength(1);

    const fetch = pageWith(job.endpoint, h.fake.submissions[0]!.input, requestId);
    const reconciler = fixture.reconciler(h, { platform: { proxyUrl: undefined, fetch }, config: { settleMs: 0 } });
    const report = await reconciler.runOnce({ force: true });
    expect(report.absent).toEqual([]);
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', falRequestId: null });
    expect(h.fake.submissions).toHaveLength(1);
  });
}
