// One function per FAL operation. Each turns a routed request into a Reply (or starts an SSE
// stream); faults and auth are applied around them in server.ts.
import type { ServerResponse } from 'node:http';
import type { FileStore } from './files';
import { sha256Hex } from './files';
import { bytesReply, emptyReply, jsonReply, parseJson, type Reply } from './http';
import type { Job, JobBoard } from './jobs';
import { buildResult, type AssetCache, type OutputSettings } from './outputs';
import { NO_SUCH_KEY_XML } from './faults';
import { inputErrors } from './input-rules';
import type { JobOutcome, Submission } from './types';

export interface HandlerDeps {
  files: FileStore;
  board: JobBoard;
  assets: AssetCache;
  outputs: () => OutputSettings;
  submissions: Submission[];
}

const QUEUE_ORIGIN = 'https://queue.fal.run';
const notFound = (requestId: string) => jsonReply(404, { detail: 'Request not found' }, { 'x-fal-request-id': requestId });

/** `<owner>/<alias>` as the client derives it (namespaced ids keep the namespace). */
export function appPathOf(endpointId: string): string {
  const parts = endpointId.split('/');
  const take = parts[0] === 'workflows' || parts[0] === 'comfy' ? 3 : 2;
  return parts.slice(0, take).join('/');
}

function requestUrls(job: Job) {
  const base = `${QUEUE_ORIGIN}/${job.appPath}/requests/${job.requestId}`;
  return { status_url: `${base}/status`, response_url: base, cancel_url: `${base}/cancel` };
}

/** A job as status answers show it. `logs` is null unless asked for, as on FAL. */
export function statusBody(board: JobBoard, job: Job, logs: Job['logs'] | null): Record<string, unknown> {
  const body: Record<string, unknown> = { status: job.state, request_id: job.requestId, ...requestUrls(job), logs };
  if (job.state === 'IN_QUEUE') body.queue_position = board.queuePosition(job) ?? 0;
  body.metrics = {};
  if (job.state === 'COMPLETED' && job.startedAt !== undefined && job.completedAt !== undefined) {
    body.metrics = { inference_time: (job.completedAt - job.startedAt) / 1000 };
  }
  const failure = failureOf(job);
  if (job.state === 'COMPLETED' && failure) {
    body.error = failure.message;
    body.error_type = failure.errorType;
  }
  return body;
}

function failureOf(job: Job): { status: number; detail: unknown; message: string; errorType: string } | undefined {
  if (job.cancelled) {
    return { status: 400, detail: 'Request was cancelled', message: 'Request was cancelled', errorType: 'client_cancelled' };
  }
  const outcome: JobOutcome | undefined = job.outcome;
  if (outcome?.kind !== 'failedRun') return undefined;
  const status = outcome.status ?? 500;
  const detail =
    outcome.detail ??
    (status === 422
      ? [{ loc: ['body', 'image_url'], msg: 'Could not detect an object in the image', type: 'image_processing_error' }]
      : 'Internal server error');
  const message = typeof detail === 'string' ? detail : (detail[0]?.msg ?? 'Unprocessable Entity');
  return { status, detail, message, errorType: outcome.errorType ?? (status === 422 ? 'validation_error' : 'runner_server_error') };
}

export function handleInitiate(deps: HandlerDeps, body: Buffer): Reply {
  const input = parseJson(body) as { content_type?: unknown; file_name?: unknown } | undefined;
  const contentType = typeof input?.content_type === 'string' ? input.content_type : '';
  const fileName = typeof input?.file_name === 'string' ? input.file_name : '';
  if (!contentType) {
    return jsonReply(422, { detail: [{ loc: ['body', 'content_type'], msg: 'field required', type: 'value_error.missing' }] });
  }
  const { uploadUrl, fileUrl } = deps.files.initiate(contentType, fileName);
  return jsonReply(200, { upload_url: uploadUrl, file_url: fileUrl });
}

export function handleUpload(
  deps: HandlerDeps,
  route: { fileId: string; part?: number; complete: boolean },
  body: Buffer,
  contentType: string | undefined,
): Reply {
  const file = deps.files.get(route.fileId);
  if (!file || file.kind !== 'upload') return bytesReply(404, Buffer.from(NO_SUCH_KEY_XML), 'application/xml');
  if (route.part !== undefined) {
    return jsonReply(200, { partNumber: route.part, etag: deps.files.putPart(file, route.part, body) });
  }
  if (route.complete) {
    const parts = (parseJson(body) as { parts?: { partNumber?: unknown }[] } | undefined)?.parts ?? [];
    const numbers = parts.map((p) => Number(p.partNumber));
    if (!deps.files.completeMultipart(file, numbers)) return jsonReply(400, { detail: 'Missing upload parts' });
    return jsonReply(200, { file_url: deps.files.urlOf(file) });
  }
  if (contentType) file.contentType = contentType;
  deps.files.setBytes(file, body);
  return emptyReply(200);
}

/** Serve stored bytes, with single-range support so resumable downloads can be exercised. */
export function handleFile(deps: HandlerDeps, fileId: string, range: string | undefined): Reply {
  const file = deps.files.get(fileId);
  if (!file?.bytes || file.expired) return bytesReply(404, Buffer.from(NO_SUCH_KEY_XML), 'application/xml');
  const headers = { 'accept-ranges': 'bytes', etag: `"${file.sha256 ?? ''}"` };
  const size = file.bytes.length;
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (match && (match[1] || match[2])) {
    const start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
    const end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      return bytesReply(416, Buffer.alloc(0), file.contentType, { ...headers, 'content-range': `bytes */${size}` });
    }
    return bytesReply(206, file.bytes.subarray(start, end + 1), file.contentType, {
      ...headers,
      'content-range': `bytes ${start}-${end}/${size}`,
    });
  }
  return bytesReply(200, file.bytes, file.contentType, headers);
}

function collectStrings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, out);
  return out;
}

export function handleSubmit(deps: HandlerDeps, endpointId: string, body: Buffer, outcome?: JobOutcome): Reply {
  const input = body.length === 0 ? {} : parseJson(body);
  if (input === undefined) {
    return jsonReply(422, { detail: [{ loc: ['body'], msg: 'Invalid JSON body', type: 'value_error.jsondecode' }] });
  }
  const refused = inputErrors(endpointId, input);
  if (refused.length > 0) return jsonReply(422, { detail: refused });
  const job = deps.board.submit(endpointId, appPathOf(endpointId), input, outcome);
  const uploadSha256s = collectStrings(input, [])
    .map((s) => deps.files.fromUrl(s)?.sha256)
    .filter((sha): sha is string => sha !== undefined);
  deps.submissions.push({
    requestId: job.requestId,
    endpointId,
    input,
    uploadSha256s,
    inputKey: uploadSha256s[0] ?? sha256Hex(Buffer.from(JSON.stringify(input))),
    at: job.submittedAt,
  });
  return jsonReply(
    200,
    { status: 'IN_QUEUE', request_id: job.requestId, ...requestUrls(job), queue_position: deps.board.queuePosition(job) ?? 0 },
    { 'x-fal-request-id': job.requestId },
  );
}

/** The job if it exists under this `<owner>/<alias>` (FAL answers 404 for a wrong app path). */
function findJob(deps: HandlerDeps, appPath: string, requestId: string): Job | undefined {
  const job = deps.board.find(requestId);
  return job && job.appPath === appPath ? job : undefined;
}

export function handleStatus(deps: HandlerDeps, appPath: string, requestId: string, withLogs: boolean): Reply {
  const job = findJob(deps, appPath, requestId);
  if (!job) return notFound(requestId);
  // FAL answers 202 while the request is pending and 200 once it completed (both are 2xx to the client).
  const status = job.state === 'COMPLETED' ? 200 : 202;
  return jsonReply(status, statusBody(deps.board, job, withLogs ? [...job.logs] : null), { 'x-fal-request-id': requestId });
}

export async function handleResult(deps: HandlerDeps, appPath: string, requestId: string): Promise<Reply> {
  const job = findJob(deps, appPath, requestId);
  if (!job) return notFound(requestId);
  const idHeader = { 'x-fal-request-id': requestId };
  if (job.state !== 'COMPLETED') return jsonReply(400, { detail: 'Request is still in progress' }, idHeader);
  const failure = failureOf(job);
  if (failure) {
    const body = typeof failure.detail === 'string' && failure.status >= 500
      ? { detail: failure.detail, error_type: failure.errorType }
      : { detail: failure.detail };
    return jsonReply(failure.status, body, idHeader);
  }
  job.result ??= buildResult(job, deps.files, deps.assets, deps.outputs());
  return jsonReply(200, await job.result, idHeader);
}

const CANCEL_HTTP_STATUS = { CANCELLATION_REQUESTED: 202, ALREADY_COMPLETED: 400, NOT_FOUND: 404 } as const;

export function handleCancel(deps: HandlerDeps, appPath: string, requestId: string): Reply {
  const answer = findJob(deps, appPath, requestId) ? deps.board.cancel(requestId) : 'NOT_FOUND';
  return jsonReply(CANCEL_HTTP_STATUS[answer], { status: answer }, { 'x-fal-request-id': requestId });
}

/**
 * Status stream: one `data:` event now, one per change (new logs only, as the client accumulates
 * them), and the server closes the stream after the COMPLETED event.
 */
export function startStatusStream(
  deps: HandlerDeps,
  appPath: string,
  requestId: string,
  withLogs: boolean,
  res: ServerResponse,
  drip?: { bytes: number; gapMs?: number },
): Reply | undefined {
  const job = findJob(deps, appPath, requestId);
  if (!job) return notFound(requestId);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-fal-request-id': requestId,
  });
  let sentLogs = 0;
  let lastKey = '';
  let ended = false;
  const out = drip ? dripWriter(res, drip.bytes, drip.gapMs ?? 5) : { write: (text: string) => void res.write(text), end: () => void res.end() };
  const send = () => {
    if (ended) return;
    if (job.forgotten) return finish();
    const newLogs = job.logs.slice(sentLogs);
    const key = `${job.state}:${deps.board.queuePosition(job) ?? ''}`;
    if (key === lastKey && newLogs.length === 0) return;
    lastKey = key;
    sentLogs = job.logs.length;
    out.write(`data: ${JSON.stringify(statusBody(deps.board, job, withLogs ? newLogs : null))}\n\n`);
    if (job.state === 'COMPLETED') finish();
  };
  // Coalesce synchronous bursts (e.g. completeNow adds the remaining logs and completes at once).
  let scheduled = false;
  const unsubscribe = deps.board.onChange((changed) => {
    if (changed !== job || scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      send();
    });
  });
  const finish = () => {
    ended = true;
    unsubscribe();
    out.end();
  };
  res.on('close', unsubscribe);
  send();
  return undefined;
}

/** Writes text in pieces of `bytes` bytes (UTF-8, cut anywhere), one every `gapMs`, in order; ends after the last. */
function dripWriter(res: ServerResponse, bytes: number, gapMs: number): { write: (text: string) => void; end: () => void } {
  const pieces: Buffer[] = [];
  let ending = false;
  let timer: NodeJS.Timeout | null = null;
  const pump = () => {
    timer = null;
    if (res.destroyed) return;
    const piece = pieces.shift();
    if (piece) res.write(piece);
    if (pieces.length > 0) timer = setTimeout(pump, gapMs);
    else if (ending) res.end();
  };
  res.on('close', () => timer && clearTimeout(timer));
  return {
    write(text) {
      const all = Buffer.from(text, 'utf8');
      for (let at = 0; at < all.length; at += bytes) pieces.push(all.subarray(at, at + bytes));
      timer ??= setTimeout(pump, gapMs);
    },
    end() {
      ending = true;
      timer ??= setTimeout(pump, gapMs);
    },
  };
}
