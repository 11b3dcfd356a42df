// FAL's queue_position is a count (0: next to start). A status or submit answer with one that is no
// such count (1.5, 1e999 read as Infinity, past 2^53, negative) was kept as it came: the job said
// "In FAL's queue, 1.5 ahead" and jobs:list failed for the whole queue ("The app produced an
// unexpected answer"), so no job could be seen or acted on while that one waited.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import type { Job } from '../../src/shared/domain';
import { pngItem, waitUntil } from '../core/engine/harness';
import type { FaultRule } from '../fake-fal/types';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { useTempAppCore } from '../support/temp-app-core';

let fake: FakeFal | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = useTempAppCore('queue-position');

const json = { 'content-type': 'application/json' };
/** Every status read (polled or streamed) answers IN_QUEUE at `position`. */
const statusSays = (position: string): FaultRule[] => {
  const body = `{"status":"IN_QUEUE","queue_position":${position}}`;
  return [
    { op: 'status', times: Infinity, fault: { kind: 'http', status: 200, body, headers: json } },
    { op: 'stream', times: Infinity, fault: { kind: 'http', status: 200, body: `data: ${body}\n\n`, headers: { 'content-type': 'text/event-stream' } } },
  ];
};
/** The submit is answered with `position`; no status read answers after it. */
const submitSays = (position: string): FaultRule[] => [
  { op: 'submit', fault: { kind: 'http', status: 200, body: `{"status":"IN_QUEUE","request_id":"${randomUUID()}","queue_position":${position}}`, headers: json } },
  { op: ['status', 'stream'], times: Infinity, fault: { kind: 'hang' } },
];
const NOT_FIRST = (job: Job | null) => job !== null && job.state === 'submitted' && job.message !== 'First in FAL’s queue' && job.message !== 'Sending the job to FAL';

describe.each([
  { answer: 'a status', position: '1.5', rules: statusSays, told: NOT_FIRST },
  { answer: 'a status', position: '1e999', rules: statusSays, told: NOT_FIRST },
  { answer: 'a status', position: '9007199254740993', rules: statusSays, told: NOT_FIRST },
  { answer: 'a status', position: '-3', rules: statusSays, told: NOT_FIRST },
  { answer: 'the submit', position: '2.5', rules: submitSays, told: (job: Job | null) => job !== null && job.falRequestId !== null },
])('$answer answered with queue_position $position', ({ position, rules, told }) => {
  it('is read as an unknown place: the job says it waits, and the queue lists', async () => {
    fake = await startFakeFal();
    const { core } = await start({ options: { keys: createMemoryKeyVault({ FAL_KEY: 'queue-key-id:0123456789abcdef' }), route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }) } });
    fake.script(...rules(position));
    const id = (await core.engine.addImages([await pngItem()], {})).added[0]!.id;
    const job = await waitUntil(() => core.engine.getJob(id), told, 20_000, (last) => `not told: ${JSON.stringify(last)}`);
    expect(job!.queuePosition).toBeNull();
    expect(job!.message).toBe('Waiting in FAL’s queue');
    const listed = await core.dispatch('jobs:list', undefined);
    expect(listed).toMatchObject({ ok: true });
  });
});
