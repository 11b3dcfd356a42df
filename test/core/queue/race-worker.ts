// A worker process for the store race test: claims jobs from a shared database and drives each
// through submit -> running -> downloading -> failed, like a real engine does, as fast as it can.
// Prints one JSON line: the ids it claimed and every error it met.
import { openDatabase } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';

const [dataDir, owner] = process.argv.slice(2) as [string, string];
const store = new JobStore(openDatabase(dataDir));
const claimed: string[] = [];
const errors: string[] = [];
const note = (error: unknown) => errors.push(`${(error as { code?: string }).code ?? ''} ${(error as Error).message}`);

for (let idle = 0; idle < 20; ) {
  let row;
  try {
    row = store.claimNext({ owner, now: Date.now(), leaseMs: 60_000, falAllowed: true });
  } catch (error) {
    note(error);
    continue;
  }
  if (!row) {
    idle++;
    continue;
  }
  claimed.push(row.id);
  try {
    const at = Date.now();
    store.update(row.id, row.fence, { submitStartedAt: at, message: 'Sending' }, at);
    store.recordSubmission(row.id, row.fence, `req-${row.id}`, 0, 15, at);
    store.update(row.id, row.fence, { state: 'running', message: 'Generating' }, at);
    store.update(row.id, row.fence, { state: 'downloading' }, at, null, ['a log line']);
    store.update(row.id, row.fence, { state: 'failed', leaseOwner: null, leaseExpiresAt: null, finishedAt: at }, at, 'done');
  } catch (error) {
    note(error);
  }
}
process.stdout.write(JSON.stringify({ claimed, errors }) + '\n');
