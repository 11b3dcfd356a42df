// The data folder moved away (or removed) while a paid job is in flight: the job ends saying so and
// what to do - never 'Something went wrong' (internal) - keeps FAL's request id, makes no folder anew
// at the old place (which would keep the user from putting theirs back), and once the folder is back,
// Download again brings the model in without a second submit.
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { canDownloadAgain } from '../../../src/shared/job-retry';
import { FolderGoneError } from '../../../src/core/engine/data-folder';
import { partialAddError } from '../../../src/core/engine/intake-failures';
import { addOne, createHarness, inState, pngItem, waitForJob, type Harness } from './harness';

let h: Harness | null = null;
let moved: string | null = null;
afterEach(async () => {
  // Put back whatever a failed test left moved, so the harness cleans it up.
  if (h && moved && existsSync(moved)) {
    rmSync(h.dataDir, { recursive: true, force: true });
    renameSync(moved, h.dataDir);
  }
  moved = null;
  await h?.close();
  h = null;
});

function moveAway(harness: Harness): void {
  moved = `${harness.dataDir}-moved`;
  renameSync(harness.dataDir, moved);
}

/** A copy put back (a new database file at the path), the one moved away kept where it went. */
function copyBack(harness: Harness): void {
  cpSync(moved!, harness.dataDir, { recursive: true });
}

function putBack(harness: Harness): void {
  renameSync(moved!, harness.dataDir);
  moved = null;
}

async function expectFolderGoneThenDownloadAgain(harness: Harness, id: string): Promise<void> {
  const ended = await waitForJob(harness.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(ended).toMatchObject({ state: 'failed', errorCode: 'data_folder_gone', requestFinished: false });
  expect(ended.errorMessage).toContain(harness.dataDir);
  expect(ended.errorMessage).toMatch(/moved or removed/);
  expect(ended.errorMessage).toMatch(/Put the folder back.*Download again.*free/);
  expect(ended.errorMessage).not.toMatch(/Something went wrong|ENOENT/);
  expect(ended.falRequestId).not.toBeNull();
  expect(canDownloadAgain(ended)).toBe(true);
  // Nothing made anew where the folder was: the user can move theirs back.
  expect(existsSync(harness.dataDir)).toBe(false);

  putBack(harness);
  await harness.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(harness.engine, id, inState('succeeded', 'failed', 'needs_attention'));
  expect(done.state).toBe('succeeded');
  expect(done.falRequestId).toBe(ended.falRequestId);
  expect(harness.fake.submissions).toHaveLength(1);
}

describe('the data folder moved away while a job is in flight', () => {
  it('while its model was downloading: ends saying so, keeps the request id, Download again works once it is back', async () => {
    h = await createHarness({ fake: { processingMs: 20 } });
    let modelRequests = 0;
    h.fake.script({ op: 'file', times: 1, when: (ctx) => ctx.targetUrl.includes('.glb') && ++modelRequests > 0, fault: { kind: 'stall', bytes: 100 } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, () => modelRequests >= 1);
    // The model's temp file is in the library folder by now (its first bytes written).
    await waitForJob(h.engine, id, (job) => job.message === 'Downloading the model');
    moveAway(h);
    expect(h.fake.releaseStalled()).toBe(1);
    await expectFolderGoneThenDownloadAgain(h, id);
  }, 30_000);

  it('while FAL was making it: ends saying so before fetching, Download again works once it is back', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const sent = await waitForJob(h.engine, id, (job) => job.falRequestId !== null);
    moveAway(h);
    expect(h.fake.completeNow(sent.falRequestId!)).toBe(true);
    await expectFolderGoneThenDownloadAgain(h, id);
  }, 30_000);
});

it('photos added while the data folder is gone are refused, saying so, and make no folder at its old place', async () => {
  h = await createHarness({ start: false });
  moveAway(h);
  await expect(h.engine.addImages([await pngItem()], {})).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/moved or removed.*Put the folder back/) });
  await expect(h.engine.addSet([{ item: await pngItem() }, { item: await pngItem() }], { endpoint: 'fal-ai/hyper3d/rodin' })).rejects.toMatchObject({ code: 'io_error' });
  expect(existsSync(h.dataDir)).toBe(false);
  putBack(h);
  expect(h.engine.listJobs()).toEqual([]);
});

// The engine keeps writing to the database it opened (the one moved away), so a copy put back is not
// taken up while it runs: every message says a restart picks it up, not to put back what is there.
describe('a copy of the data folder put back while the engine runs', () => {
  it('photos added are refused, saying a restart uses the folder there now', async () => {
    h = await createHarness({ start: false });
    moveAway(h);
    copyBack(h);
    const refused = h.engine.addImages([await pngItem()], {});
    await expect(refused).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/was replaced .*quit and reopen the app \(from a terminal: run the command again\), then add the photos again/) });
    await expect(refused).rejects.toMatchObject({ message: expect.not.stringMatching(/Put the folder back/) });
  });

  it('a drop cut short by it says a restart uses the folder there now; one cut short by a folder gone says a copy needs one', () => {
    const cutShort = (replaced: boolean) =>
      partialAddError({ total: 3, added: 1, rest: ['b.png', 'c.png'], force: false, error: new FolderGoneError('gone', replaced), unsynced: null, heldUntil: null }).message;
    expect(cutShort(true)).toMatch(/was replaced while they were added.*To use the folder there now, quit and reopen the app .*, then add the photos again/);
    expect(cutShort(false)).toMatch(/moved or removed.*Put the folder back .*a copy put back is used once you quit and reopen the app/);
  });

  it('a paid job that ended while the folder was gone says a copy needs a restart; Download again with the copy there says to restart', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const sent = await waitForJob(h.engine, id, (job) => job.falRequestId !== null);
    moveAway(h);
    expect(h.fake.completeNow(sent.falRequestId!)).toBe(true);
    const ended = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
    expect(ended.errorMessage).toMatch(/Put the folder back.*Download again: it is free\. A copy put back instead is used once you quit and reopen the app/);

    copyBack(h);
    await h.engine.retry(id, { mode: 'download' });
    const again = await waitForJob(h.engine, id, (job) => job.state === 'failed' && job.errorMessage !== ended.errorMessage);
    expect(again).toMatchObject({ errorCode: 'data_folder_gone', falRequestId: sent.falRequestId });
    expect(again.errorMessage).toMatch(/was replaced while this job was running.*charged for.*To use the folder there now, quit and reopen the app .*, then use Download again: it is free\./);
    expect(h.fake.submissions).toHaveLength(1);
  }, 30_000);
});
