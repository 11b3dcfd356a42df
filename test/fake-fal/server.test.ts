// The fake FAL server exercised through the real @fal-ai/client 1.10.1: protocol, queue
// behaviour, outputs, accounting, host-rewrite mode, control API and CLI.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ApiError, type QueueStatus } from '@fal-ai/client';
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeTestPng } from '../fixtures/make-glb';
import { PROGRESS_LOGS } from './jobs';
import { sha256Hex, startFakeFal, type FakeFal, type FakeFalOptions } from './server';
import { download, glbErrors, realClient, IMAGE, rejectionOf, TRIPO } from './helpers';

const open: FakeFal[] = [];
async function fakeFal(options?: FakeFalOptions): Promise<FakeFal> {
  const fake = await startFakeFal(options);
  open.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((fake) => fake.close()));
});

const pngBlob = async (seed = 1) => new Blob([new Uint8Array(await makeTestPng(32, 32, { seed }))], { type: 'image/png' });

describe('fake FAL through the real client (proxy mode)', () => {
  it('runs upload -> submit -> status -> stream -> result, and serves a valid GLB', async () => {
    const fake = await fakeFal({ processingMs: 60 });
    const { fal } = realClient(fake);
    const blob = await pngBlob();
    const imageUrl = await fal.storage.upload(blob);

    const uploaded = await download(imageUrl);
    expect(uploaded.bytes).toEqual(new Uint8Array(await blob.arrayBuffer()));
    expect(uploaded.contentType).toBe('image/png');

    const submitted = await fal.queue.submit(TRIPO, { input: { image_url: imageUrl } });
    expect(submitted.status).toBe('IN_QUEUE');
    expect(submitted.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const requestId = submitted.request_id;

    const stream = await fal.queue.streamStatus(TRIPO, { requestId, logs: true });
    const seen: QueueStatus[] = [];
    stream.on('data', (status: QueueStatus) => seen.push(status));
    const last = await stream.done();
    expect(last.status).toBe('COMPLETED');
    expect(seen.at(-1)?.status).toBe('COMPLETED');
    const logs = seen.flatMap((s) => ('logs' in s ? s.logs : []));
    expect(logs.map((l) => l.message)).toEqual([...PROGRESS_LOGS]);

    const status = await fal.queue.status(TRIPO, { requestId, logs: true });
    expect(status.status).toBe('COMPLETED');
    expect(status.status === 'COMPLETED' && status.logs.length).toBe(6);
    expect((status as { metrics?: { inference_time?: number } }).metrics?.inference_time).toBeGreaterThanOrEqual(0);

    const result = await fal.queue.result(TRIPO, { requestId });
    expect(result.requestId).toBe(requestId);
    const data = result.data as unknown as Record<string, { url: string; content_type: string; file_size: number }>;
    expect(data.pbr_model?.content_type).toBe('model/gltf-binary');
    const glb = await download(data.pbr_model?.url ?? '');
    expect(glb.status).toBe(200);
    expect(glb.bytes.length).toBe(data.pbr_model?.file_size);
    expect(await glbErrors(glb.bytes)).toBe(0);
    const preview = await download(data.rendered_image?.url ?? '');
    expect(preview.contentType).toBe('image/png');

    // The client went through the proxy with FAL's real URLs.
    expect(fake.requests.map((r) => `${r.op} ${r.method} ${r.targetUrl}`)).toEqual(
      expect.arrayContaining([
        'initiate POST https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3',
        `submit POST https://queue.fal.run/${TRIPO}`,
        `stream GET https://queue.fal.run/tripo3d/tripo/requests/${requestId}/status/stream?logs=1`,
        `status GET https://queue.fal.run/tripo3d/tripo/requests/${requestId}/status?logs=1`,
        `result GET https://queue.fal.run/tripo3d/tripo/requests/${requestId}`,
      ]),
    );
    expect(fake.requestsFor('submit')[0]?.authorization).toBe('Key test-key-123456');
    expect(fake.completedAt(requestId)).toBeGreaterThan(0);
  });

  it('reports status with logs only when asked, and queue positions under the concurrency limit', async () => {
    const fake = await fakeFal({ concurrency: 2, holdJobs: true });
    const { fal } = realClient(fake);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await fal.queue.submit(TRIPO, { input: { image_url: `https://example.com/${i}.png` } })).request_id);
    await fake.waitFor(ids[1] ?? '', 'IN_PROGRESS');

    const running = await fal.queue.status(TRIPO, { requestId: ids[0] ?? '', logs: true });
    expect(running.status).toBe('IN_PROGRESS');
    expect(running.status === 'IN_PROGRESS' && running.logs[0]?.message).toBe('Initializing model');
    const withoutLogs = await fal.queue.status(TRIPO, { requestId: ids[0] ?? '' });
    expect((withoutLogs as { logs?: unknown }).logs).toBeNull();
    const third = await fal.queue.status(TRIPO, { requestId: ids[2] ?? '' });
    const fourth = await fal.queue.status(TRIPO, { requestId: ids[3] ?? '' });
    expect([third.status, third.status === 'IN_QUEUE' && third.queue_position]).toEqual(['IN_QUEUE', 0]);
    expect([fourth.status, fourth.status === 'IN_QUEUE' && fourth.queue_position]).toEqual(['IN_QUEUE', 1]);

    expect(fake.completeNow(ids[0] ?? '')).toBe(true);
    await fake.waitFor(ids[2] ?? '', 'IN_PROGRESS');
    const moved = await fal.queue.status(TRIPO, { requestId: ids[3] ?? '' });
    expect(moved.status === 'IN_QUEUE' && moved.queue_position).toBe(0);
  });

  it('streams IN_QUEUE -> IN_PROGRESS -> COMPLETED for a queued job and closes the stream', async () => {
    const fake = await fakeFal({ concurrency: 1, holdJobs: true });
    const { fal } = realClient(fake);
    const first = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/a.png' } })).request_id;
    const second = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/b.png' } })).request_id;
    await fake.waitFor(first, 'IN_PROGRESS');

    const stream = await fal.queue.streamStatus(TRIPO, { requestId: second, logs: true });
    const states: string[] = [];
    stream.on('data', (s: QueueStatus) => {
      states.push(s.status);
      if (s.status === 'IN_QUEUE') fake.completeNow(first);
      if (s.status === 'IN_PROGRESS') fake.completeNow(second);
    });
    await stream.done();
    expect(states).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']);
  });

  it('cancels: a queued job is removed, a completed one answers ALREADY_COMPLETED, an unknown one NOT_FOUND', async () => {
    const fake = await fakeFal({ concurrency: 1, holdJobs: true });
    const { fal } = realClient(fake);
    const running = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/a.png' } })).request_id;
    const queued = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/b.png' } })).request_id;
    await fake.waitFor(running, 'IN_PROGRESS');

    await fal.queue.cancel(TRIPO, { requestId: queued });
    expect(fake.job(queued)).toMatchObject({ cancelled: true, state: 'COMPLETED', billed: false });

    // A running job gets the signal but the model ignores it (default) and finishes, billed.
    await fal.queue.cancel(TRIPO, { requestId: running });
    expect(fake.job(running)?.state).toBe('IN_PROGRESS');
    fake.completeNow(running);
    expect(fake.job(running)).toMatchObject({ cancelled: false, billed: true });

    const done = await rejectionOf(fal.queue.cancel(TRIPO, { requestId: running }));
    expect(done).toBeInstanceOf(ApiError);
    expect(done).toMatchObject({ status: 400, body: { status: 'ALREADY_COMPLETED' } });
    const unknown = await rejectionOf(fal.queue.cancel(TRIPO, { requestId: '00000000-0000-0000-0000-000000000000' }));
    expect(unknown).toMatchObject({ status: 404, body: { status: 'NOT_FOUND' } });
    expect(fake.requestsFor('cancel').map((r) => r.outcome)).toEqual([202, 202, 400, 404]);
  });

  it('can stop running jobs on cancel when configured', async () => {
    const fake = await fakeFal({ holdJobs: true, cancelStopsRunning: true });
    const { fal } = realClient(fake);
    const id = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/a.png' } })).request_id;
    await fake.waitFor(id, 'IN_PROGRESS');
    await fal.queue.cancel(TRIPO, { requestId: id });
    expect(fake.job(id)).toMatchObject({ state: 'COMPLETED', cancelled: true, billed: true });
    const error = await rejectionOf(fal.queue.result(TRIPO, { requestId: id }));
    expect(error).toMatchObject({ status: 400 });
  });

  it('answers the result GET with 400 while the job is still running', async () => {
    const fake = await fakeFal({ holdJobs: true });
    const { fal } = realClient(fake);
    const id = (await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/a.png' } })).request_id;
    const error = await rejectionOf(fal.queue.result(TRIPO, { requestId: id }));
    expect(error).toMatchObject({ status: 400, body: { detail: 'Request is still in progress' } });
  });

  it('answers 404 when status is asked under the full endpoint id instead of <owner>/<alias>', async () => {
    const fake = await fakeFal({ processingMs: 0 });
    const { fal } = realClient(fake);
    const id = (await fal.queue.submit(TRIPO, { input: IMAGE })).request_id;
    const response = await fetch(fake.url, {
      headers: {
        authorization: 'Key test-key-123456',
        'x-fal-target-url': `https://queue.fal.run/${TRIPO}/requests/${id}/status`,
      },
    });
    expect(response.status).toBe(404);
  });

  it.each<[string, string, Record<string, unknown>?]>([
    ['fal-ai/trellis', 'model_mesh'],
    ['fal-ai/trellis/multi', 'model_mesh', { image_urls: ['https://example.com/a.png', 'https://example.com/b.png'] }],
    ['fal-ai/hunyuan3d-v21', 'model_glb'],
    ['fal-ai/hunyuan3d-v3/image-to-3d', 'model_glb'],
    ['fal-ai/hyper3d/rodin', 'model_mesh'],
    ['tripo3d/tripo/v2.5/multiview-to-3d', 'pbr_model', { front_image_url: 'https://example.com/a.png' }],
  ])('%s puts the GLB in %s', async (endpoint, field, input = { image_url: 'https://example.com/a.png' }) => {
    const fake = await fakeFal({ processingMs: 0 });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(endpoint, { input });
    await fake.waitFor(requestId, 'COMPLETED');
    const { data } = await fal.queue.result(endpoint, { requestId });
    const file = (data as unknown as Record<string, { url: string } | undefined>)[field];
    expect(file?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    const glb = await download(file?.url ?? '');
    expect(Buffer.from(glb.bytes.subarray(0, 4)).toString('latin1')).toBe('glTF');
  });

  it('fills the configured Tripo fields and gives each job distinct GLB bytes', async () => {
    const fake = await fakeFal({ processingMs: 0, tripoFields: ['model_mesh', 'base_model'] });
    const { fal } = realClient(fake);
    const results = [];
    for (const n of [1, 2]) {
      const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: { image_url: `https://example.com/${n}.png` } });
      await fake.waitFor(requestId, 'COMPLETED');
      results.push((await fal.queue.result(TRIPO, { requestId })).data as unknown as Record<string, { url: string } | undefined>);
    }
    expect(results[0]?.pbr_model).toBeUndefined();
    expect(results[0]?.base_model).toBeDefined();
    const a = await download(results[0]?.model_mesh?.url ?? '');
    const b = await download(results[1]?.model_mesh?.url ?? '');
    expect(sha256Hex(a.bytes)).not.toBe(sha256Hex(b.bytes));
  });

  it('previewImage: the preview is made from the bytes of the job\'s uploaded input (null for a foreign URL)', async () => {
    const seen: (Buffer | null)[] = [];
    const previewImage = async (input: Buffer | null) => {
      seen.push(input);
      return makeTestPng(8, 8, { seed: input ? 7 : 8 });
    };
    const fake = await fakeFal({ processingMs: 0, previewImage });
    const { fal } = realClient(fake);
    const blob = await pngBlob(3);
    const uploadedUrl = await fal.storage.upload(blob);
    const previews = [];
    for (const imageUrl of [uploadedUrl, 'https://example.com/elsewhere.png']) {
      const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: { image_url: imageUrl } });
      await fake.waitFor(requestId, 'COMPLETED');
      const data = (await fal.queue.result(TRIPO, { requestId })).data as unknown as Record<string, { url: string } | undefined>;
      previews.push(await download(data.rendered_image?.url ?? ''));
    }
    expect(seen[0]).toEqual(Buffer.from(await blob.arrayBuffer()));
    expect(seen[1]).toBeNull();
    expect(Buffer.from(previews[0]!.bytes)).toEqual(await makeTestPng(8, 8, { seed: 7 }));
    expect(Buffer.from(previews[1]!.bytes)).toEqual(await makeTestPng(8, 8, { seed: 8 }));
  });

  it("'stamped' outputs: each job's GLB and preview are distinct files that still check as valid", async () => {
    const fake = await fakeFal({ processingMs: 0, uniqueOutputs: 'stamped', glb: { triangles: 100, textureSize: 16 } });
    const { fal } = realClient(fake);
    const files = [];
    for (const n of [1, 2]) {
      const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: { image_url: `https://example.com/${n}.png` } });
      await fake.waitFor(requestId, 'COMPLETED');
      const data = (await fal.queue.result(TRIPO, { requestId })).data as unknown as Record<string, { url: string }>;
      files.push({ glb: await download(data.pbr_model?.url ?? ''), png: await download(data.rendered_image?.url ?? '') });
    }
    const [a, b] = files;
    expect(sha256Hex(a!.glb.bytes)).not.toBe(sha256Hex(b!.glb.bytes));
    expect(sha256Hex(a!.png.bytes)).not.toBe(sha256Hex(b!.png.bytes));
    for (const file of files) {
      expect(await glbErrors(file.glb.bytes)).toBe(0);
      expect((await sharp(file.png.bytes).metadata()).format).toBe('png');
    }
  });

  it("'stamped' outputs are made while the job runs (ready when it completes, as FAL's are), not at the result GET", async () => {
    const made: string[] = [];
    const fake = await fakeFal({
      holdJobs: true,
      uniqueOutputs: 'stamped',
      glb: { triangles: 100, textureSize: 16 },
      previewImage: async () => {
        made.push('preview');
        return makeTestPng(8, 8, { seed: 3 });
      },
    });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/1.png' } });
    await fake.waitFor(requestId, 'IN_PROGRESS');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(made).toEqual(['preview']);
    fake.completeNow(requestId);
    const data = (await fal.queue.result(TRIPO, { requestId })).data as unknown as Record<string, { url: string }>;
    expect(await glbErrors((await download(data.pbr_model?.url ?? '')).bytes)).toBe(0);
    expect(made).toEqual(['preview']);
  });

  it('rejects keys that are too short or not in the accepted list with 401', async () => {
    const fake = await fakeFal({ acceptedKeys: ['right-key-0123'] });
    const wrong = await rejectionOf(realClient(fake, { key: 'wrong-key-0123' }).fal.queue.submit(TRIPO, { input: IMAGE }));
    expect(wrong).toMatchObject({ status: 401, body: { detail: expect.any(String) } });
    await expect(realClient(fake, { key: 'right-key-0123' }).fal.queue.submit(TRIPO, { input: IMAGE })).resolves.toBeDefined();
    fake.setOptions({ acceptedKeys: undefined });
    const short = await rejectionOf(realClient(fake, { key: 'short' }).fal.storage.upload(await pngBlob()));
    expect(short).toMatchObject({ status: 401 });
  });
});

describe('host-rewrite mode (custom fetch, no proxy)', () => {
  it('covers upload, submit, stream and result', async () => {
    const fake = await fakeFal({ processingMs: 20 });
    const { fal, seen } = realClient(fake, { mode: 'fetch' });
    const imageUrl = await fal.storage.upload(await pngBlob());
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: { image_url: imageUrl } });
    const stream = await fal.queue.streamStatus(TRIPO, { requestId });
    expect((await stream.done()).status).toBe('COMPLETED');
    const { data } = await fal.queue.result(TRIPO, { requestId });
    expect((data as { pbr_model?: { url: string } }).pbr_model?.url).toContain(fake.url);
    expect(seen.map((s) => s.url)).toContain('https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3');
    expect(fake.requests.map((r) => r.op)).toEqual(['initiate', 'upload', 'submit', 'stream', 'result']);
    expect(fake.requests.every((r) => r.outcome === 200)).toBe(true);
  });
});

describe('accounting', () => {
  it('counts submissions per uploaded image content, and per input JSON otherwise', async () => {
    const fake = await fakeFal({ processingMs: 0 });
    const { fal } = realClient(fake);
    const blob = await pngBlob(7);
    const sha = sha256Hex(new Uint8Array(await blob.arrayBuffer()));
    // Two separate uploads of the same bytes count as the same input.
    await fal.queue.submit(TRIPO, { input: { image_url: await fal.storage.upload(blob) } });
    await fal.queue.submit(TRIPO, { input: { image_url: await fal.storage.upload(blob) } });
    await fal.queue.submit(TRIPO, { input: { image_url: await fal.storage.upload(await pngBlob(8)) } });
    // Blob inputs are uploaded by the client itself.
    await fal.queue.submit('fal-ai/trellis', { input: { image_url: blob } });
    await fal.queue.submit('fal-ai/hyper3d/rodin', { input: { input_image_urls: ['https://example.com/x.png'] } });

    expect(fake.submissionsFor(sha)).toBe(3);
    expect(fake.submissions).toHaveLength(5);
    expect(fake.uploads().filter((u) => u.sha256 === sha)).toHaveLength(3);
    const external = fake.submissions[4];
    expect(external?.uploadSha256s).toEqual([]);
    expect(external && fake.submissionsFor(external.inputKey)).toBe(1);
  });

  it('records timestamps of each job event for latency measurements', async () => {
    const fake = await fakeFal({ processingMs: 0 });
    const { fal } = realClient(fake);
    const { request_id: id } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const completed = await fake.nextEvent((e) => e.type === 'completed' && e.requestId === id);
    const types = fake.events.filter((e) => e.requestId === id).map((e) => e.type);
    expect(types[0]).toBe('submitted');
    expect(types).toContain('started');
    expect(types.at(-1)).toBe('completed');
    expect(fake.completedAt(id)).toBe(completed.at);
  });
});

describe('control API and CLI', () => {
  it('scripts faults and completes jobs over HTTP', async () => {
    const fake = await fakeFal({ holdJobs: true });
    const { fal } = realClient(fake);
    const scripted = await fetch(`${fake.url}/_fake/script`, {
      method: 'POST',
      body: JSON.stringify({ op: 'submit', fault: { kind: 'auth', status: 403 } }),
    });
    expect(scripted.status).toBe(200);
    expect(await rejectionOf(fal.queue.submit(TRIPO, { input: IMAGE }))).toMatchObject({ status: 403 });
    const { request_id: id } = await fal.queue.submit(TRIPO, { input: IMAGE });
    await fetch(`${fake.url}/_fake/complete/${id}`, { method: 'POST' });
    const state = (await (await fetch(`${fake.url}/_fake/state`)).json()) as { jobs: { requestId: string; state: string }[] };
    expect(state.jobs.find((j) => j.requestId === id)?.state).toBe('COMPLETED');
  });

  it('starts from the command line, prints its URL and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-fal/cli.ts', '--port', '0', '--processing-ms', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const url = /^Fake FAL listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      expect(url).toBeDefined();
      const state = await fetch(`${url}/_fake/state`);
      expect(state.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
