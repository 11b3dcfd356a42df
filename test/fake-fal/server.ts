// A local stand-in for FAL (queue.fal.run + rest.fal.ai storage + the CDN), speaking the HTTP
// protocol @fal-ai/client 1.10.1 uses, with scriptable faults. Point the real client at it with
// `createFalClient(fake.clientConfig())` (proxy mode) or `createFalClient({credentials, fetch: fake.fetch})`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AUTH_DETAIL, FaultBook, faultReply } from './faults';
import { FileStore, sha256Hex } from './files';
import {
  handleCancel,
  handleFile,
  handleInitiate,
  handleResult,
  handleStatus,
  handleSubmit,
  handleUpload,
  startStatusStream,
  type HandlerDeps,
} from './handlers';
import { jsonReply, readBody, writeEndlessEvent, writePadded, writeReply, type Reply } from './http';
import { JobBoard, type Job } from './jobs';
import { AssetCache, buildResult, NOT_GLB_BYTES } from './outputs';
import { routeRequest, TARGET_URL_HEADER, type Route } from './routes';
import { handleControl } from './control';
import { FakePlatform, type PlatformOptions } from './platform';
import type {
  FakeFalEvent,
  FakeFalOptions,
  FaultRule,
  JobSnapshot,
  Operation,
  QueueState,
  RequestContext,
  RequestLogEntry,
  RuntimeOptions,
  Submission,
} from './types';

export type * from './types';
export { sha256Hex };

export interface UploadInfo {
  fileId: string;
  url: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface FakeFal {
  /** Base URL, e.g. http://127.0.0.1:54321 (use as proxyUrl, or as the rewrite target). */
  readonly url: string;
  readonly port: number;
  /** Options for createFalClient in proxy mode. */
  clientConfig(key?: string): { credentials: string; proxyUrl: { url: string; when: 'always' } };
  /** A fetch that sends https://queue.fal.run, https://rest.fal.ai and https://api.fal.ai calls here (no-proxy mode). */
  readonly fetch: typeof fetch;

  /** Add fault/latency rules, applied in the order given. */
  script(...rules: FaultRule[]): void;
  /** Rules not used up yet. */
  pendingRules(): FaultRule[];
  clearScript(): void;
  setOptions(options: RuntimeOptions): void;

  /** Finish a job now (starts it first if queued). False if unknown or already completed. */
  completeNow(requestId: string): boolean;
  /** FAL loses the request: 404 from now on. */
  forget(requestId: string): boolean;
  job(requestId: string): JobSnapshot | undefined;
  jobs(): JobSnapshot[];
  /** Resolves when the job reaches `state` (rejects after timeoutMs). */
  waitFor(requestId: string, state: QueueState, timeoutMs?: number): Promise<JobSnapshot>;
  /** Resolves with the next event matching the predicate (rejects after timeoutMs). */
  nextEvent(predicate: (event: FakeFalEvent) => boolean, timeoutMs?: number): Promise<FakeFalEvent>;
  onEvent(listener: (event: FakeFalEvent) => void): () => void;
  /** Every job event with its timestamp (epoch ms, sub-ms precision). */
  readonly events: readonly FakeFalEvent[];
  /** When the job reached COMPLETED (epoch ms, sub-ms precision). */
  completedAt(requestId: string): number | undefined;

  /** Accepted submissions, in order. */
  readonly submissions: readonly Submission[];
  /** Accepted submissions whose input refers to an upload with this sha256, or whose inputKey is it. */
  submissionsFor(sha256OrInputKey: string): number;
  /** Every HTTP exchange (except /_fake control calls), in arrival order. */
  readonly requests: readonly RequestLogEntry[];
  requestsFor(op: Operation): RequestLogEntry[];
  uploads(): UploadInfo[];

  /** The platform API (api.fal.ai/v1): its state (billing events, balance) and knobs. */
  readonly platform: FakePlatform;
  setPlatform(options: PlatformOptions): void;

  /** Sends the rest of every answer a 'stall' fault holds; how many there were. */
  releaseStalled(): number;
  /** Stop everything: timers, streams, hanging and keep-alive sockets. */
  close(): Promise<void>;
}

const AUTHENTICATED: ReadonlySet<Operation> = new Set(['initiate', 'submit', 'status', 'stream', 'result', 'cancel']);

interface Settings {
  concurrency: number;
  processingMs: NonNullable<FakeFalOptions['processingMs']>;
  holdJobs: boolean;
  latencyMs: number;
  acceptedKeys?: string[];
  cancelStopsRunning: boolean;
  tripoFields: NonNullable<FakeFalOptions['tripoFields']>;
  uniqueOutputs: NonNullable<FakeFalOptions['uniqueOutputs']>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startFakeFal(options: FakeFalOptions = {}): Promise<FakeFal> {
  const settings: Settings = {
    concurrency: options.concurrency ?? 2,
    processingMs: options.processingMs ?? 300,
    holdJobs: options.holdJobs ?? false,
    latencyMs: options.latencyMs ?? 0,
    acceptedKeys: options.acceptedKeys,
    cancelStopsRunning: options.cancelStopsRunning ?? false,
    tripoFields: options.tripoFields ?? ['pbr_model'],
    uniqueOutputs: options.uniqueOutputs ?? true,
  };
  let baseUrl = '';
  const files = new FileStore(() => baseUrl);
  const boardSettings = () => ({
    concurrency: settings.concurrency,
    holdJobs: settings.holdJobs,
    cancelStopsRunning: settings.cancelStopsRunning,
    processingMs: (job: Job) =>
      typeof settings.processingMs === 'function'
        ? settings.processingMs({ endpointId: job.endpointId, input: job.input, seq: job.seq })
        : settings.processingMs,
  });
  const board = new JobBoard(boardSettings());
  const faults = new FaultBook();
  const submissions: Submission[] = [];
  const requests: RequestLogEntry[] = [];
  const deps: HandlerDeps = {
    files,
    board,
    assets: new AssetCache(options.glb),
    outputs: () => ({ uniqueOutputs: settings.uniqueOutputs, tripoFields: settings.tripoFields, previewImage: options.previewImage }),
    submissions,
  };
  // The benches' 'stamped' outputs are made while the job runs, as FAL's are: ready when it says
  // COMPLETED, so a result GET costs what FAL's lookup does - not the fake's own copying and hashing
  // (~3 ms, more with GC) counted against the engine's overhead.
  board.onEvent((event) => {
    const job = event.type === 'started' && settings.uniqueOutputs === 'stamped' ? board.find(event.requestId) : undefined;
    if (!job) return;
    job.result ??= buildResult(job, files, deps.assets, deps.outputs());
    job.result.catch(() => undefined); // a build that fails answers the result GET with its error, as before
  });
  const sockets = new Set<Socket>();
  /** The rest of each answer a 'stall' fault holds back. */
  const stalled = new Set<() => void>();
  const sleepTimers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleepTimers.delete(timer);
        resolve();
      }, ms);
      sleepTimers.add(timer);
    });

  const validKey = (key: string) => (settings.acceptedKeys ? settings.acceptedKeys.includes(key) : key.length >= 10);
  const platform = new FakePlatform({ submissions, board, validKey }, options.platform);

  function authError(req: IncomingMessage): Reply | undefined {
    const key = /^Key (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    const ok = key !== undefined && (validKey(key) || platform.isAdmin(key));
    return ok ? undefined : jsonReply(401, { detail: AUTH_DETAIL[401] });
  }

  async function runHandler(route: Route, ctx: RequestContext, req: IncomingMessage, res: ServerResponse, rule?: FaultRule) {
    const logs = new URL(ctx.targetUrl).searchParams.get('logs') === '1';
    switch (route.op) {
      case 'initiate':
        return handleInitiate(deps, ctx.body);
      case 'upload':
        return handleUpload(deps, route, ctx.body, header(req, 'content-type'));
      case 'file':
        return handleFile(deps, route.fileId, header(req, 'range'));
      case 'submit': {
        const before = submissions.length;
        const reply = handleSubmit(deps, route.endpointId, ctx.body, rule?.outcome);
        const accepted = submissions.length > before ? submissions.at(-1) : undefined;
        if (accepted) platform.noteSubmit(accepted.requestId, req.headers);
        return reply;
      }
      case 'status':
        return handleStatus(deps, route.appPath, route.requestId, logs);
      case 'stream':
        return startStatusStream(deps, route.appPath, route.requestId, logs, res, rule?.fault?.kind === 'drip' ? rule.fault : undefined);
      case 'result': {
        const reply = await handleResult(deps, route.appPath, route.requestId);
        const job = board.find(route.requestId);
        if (reply.status === 200 && job && platform.options.sendBillableUnits) reply.headers['x-fal-billable-units'] = String(platform.unitsFor(job.endpointId, job.input));
        return reply;
      }
      case 'platform':
        return platform.handle(req.method ?? 'GET', ctx.targetUrl, req.headers, ctx.body);
      case 'cancel':
        return handleCancel(deps, route.appPath, route.requestId);
      default:
        return jsonReply(404, { detail: 'not found' });
    }
  }

  function contextOf(route: Route, req: IncomingMessage, targetUrl: string, body: Buffer): RequestContext | undefined {
    const base = { method: req.method ?? 'GET', targetUrl, headers: req.headers, body };
    switch (route.op) {
      case 'initiate':
      case 'upload':
        return { ...base, op: route.op };
      case 'file': {
        const owner = files.get(route.fileId)?.requestId;
        const job = owner ? board.all().find((j) => j.requestId === owner) : undefined;
        return { ...base, op: 'file', requestId: owner, endpoint: job?.endpointId };
      }
      case 'submit':
        return { ...base, op: 'submit', endpoint: route.endpointId };
      case 'platform':
        return { ...base, op: 'platform' };
      case 'status':
      case 'stream':
      case 'result':
      case 'cancel':
        return { ...base, op: route.op, endpoint: route.appPath, requestId: route.requestId };
      default:
        return undefined;
    }
  }

  /** Body faults: change what an otherwise normal reply carries. */
  function alterBody(reply: Reply, fault: FaultRule['fault'], res: ServerResponse): boolean {
    if (fault?.kind === 'notGlb') reply.body = NOT_GLB_BYTES;
    if (fault?.kind === 'truncate') {
      const keep = Math.min(reply.body.length, fault.bytes ?? Math.floor(reply.body.length / 2));
      if (fault.abort) {
        // Announce the full length, send part of it, then drop the connection.
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
        res.write(reply.body.subarray(0, keep), () => res.socket?.destroy());
        return true;
      }
      reply.body = reply.body.subarray(0, keep);
    }
    if (fault?.kind === 'stall') {
      const keep = Math.min(reply.body.length, fault.bytes ?? Math.floor(reply.body.length / 2));
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
      res.write(reply.body.subarray(0, keep));
      const rest = () => {
        stalled.delete(rest);
        res.end(reply.body.subarray(keep));
      };
      stalled.add(rest);
      res.on('close', () => stalled.delete(rest));
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const localUrl = new URL(req.url ?? '/', baseUrl);
    const { route, targetUrl } = routeRequest(method, localUrl, header(req, TARGET_URL_HEADER));
    const body = await readBody(req);
    if (route.op === 'control') {
      writeReply(res, await handleControl(fake, route.path, method, body));
      return;
    }
    const ctx = contextOf(route, req, targetUrl, body);
    const entry: RequestLogEntry = {
      op: ctx?.op ?? 'unknown',
      method,
      targetUrl,
      requestId: ctx?.requestId,
      endpoint: ctx?.endpoint,
      outcome: 0,
      authorization: header(req, 'authorization'),
      at: performance.timeOrigin + performance.now(),
    };
    requests.push(entry);
    const send = (reply: Reply) => {
      entry.outcome = reply.status;
      writeReply(res, reply, method === 'HEAD');
    };
    if (!ctx || route.op === 'unknown') {
      send(jsonReply(route.op === 'unknown' ? route.status : 404, { detail: route.op === 'unknown' ? route.detail : 'not found' }));
      return;
    }

    const rule = faults.take(ctx);
    const delay = settings.latencyMs + (rule?.delayMs ?? 0);
    if (delay > 0) await sleep(delay);
    const fault = rule?.fault;
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'forget' && ctx.requestId) board.forget(ctx.requestId);
    const dropNow = (fault?.kind === 'reset' || fault?.kind === 'hang') && !fault.afterHandling;
    if (fault && dropNow) {
      entry.outcome = fault.kind as 'reset' | 'hang';
      if (fault.kind === 'reset') req.socket.destroy();
      return;
    }
    const lateError = fault?.kind === 'infra' && fault.afterHandling === true;
    const scripted = fault && !lateError ? faultReply(fault, ctx.requestId) : undefined;
    if (scripted) return send(scripted);
    const denied = AUTHENTICATED.has(ctx.op) ? authError(req) : undefined;
    if (denied) return send(denied);
    if (fault?.kind === 'endlessEvent') {
      entry.outcome = 200;
      const idHeader: Record<string, string> = ctx.requestId ? { 'x-fal-request-id': ctx.requestId } : {};
      await writeEndlessEvent(res, fault.bytes, idHeader, (total) => (entry.bytesSent = total));
      return;
    }

    const reply = await runHandler(route, ctx, req, res, rule);
    // "5xx after queueing": the work is done, the answer is an error anyway.
    const late = lateError && fault ? faultReply(fault, ctx.requestId) : undefined;
    if (late) return send(late);
    if (fault?.kind === 'reset' || fault?.kind === 'hang') {
      entry.outcome = fault.kind;
      if (fault.kind === 'reset') req.socket.destroy();
      return;
    }
    if (!reply) {
      entry.outcome = 200; // status stream, written by its handler
      return;
    }
    if (fault?.kind === 'oversized') {
      entry.outcome = reply.status;
      await writePadded(res, reply, fault.bytes, fault.chunked);
      return;
    }
    if (alterBody(reply, fault, res)) {
      entry.outcome = reply.status;
      return;
    }
    send(reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeReply(res, jsonReply(500, { detail: `fake-fal crashed: ${String(error)}` }));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  const fakeFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const rewritten = url.replace(/^https:\/\/(queue\.fal\.run|rest\.fal\.ai|api\.fal\.ai)(?=\/|$)/, baseUrl);
    return fetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
  };

  const snapshotOf = (requestId: string) => {
    const job = board.all().find((j) => j.requestId === requestId);
    return job ? board.snapshot(job) : undefined;
  };

  const fake: FakeFal = {
    url: baseUrl,
    port,
    fetch: fakeFetch,
    clientConfig: (key = 'test-key-123456') => ({ credentials: key, proxyUrl: { url: baseUrl, when: 'always' } }),
    script: (...rules) => rules.forEach((rule) => faults.add(rule)),
    pendingRules: () => faults.pending(),
    clearScript: () => faults.clear(),
    platform,
    setPlatform: (update) => platform.set(update),
    setOptions(update) {
      const releaseHeld = settings.holdJobs && update.holdJobs === false;
      Object.assign(settings, Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)));
      if (update.acceptedKeys === undefined && 'acceptedKeys' in update) settings.acceptedKeys = undefined;
      board.settings = boardSettings();
      if (releaseHeld) board.all().filter((j) => j.state === 'IN_PROGRESS').forEach((j) => board.completeNow(j.requestId));
      board.pump();
    },
    completeNow: (requestId) => board.completeNow(requestId),
    forget: (requestId) => board.forget(requestId),
    job: snapshotOf,
    jobs: () => board.all().map((j) => board.snapshot(j)),
    waitFor(requestId, state, timeoutMs = 10_000) {
      const order: QueueState[] = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED'];
      const reached = () => {
        const snap = snapshotOf(requestId);
        return snap && order.indexOf(snap.state) >= order.indexOf(state) ? snap : undefined;
      };
      const now = reached();
      if (now) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`fake-fal: ${requestId} did not reach ${state} within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = board.onChange(() => {
          const snap = reached();
          if (!snap) return;
          clearTimeout(timer);
          off();
          resolve(snap);
        });
      });
    },
    nextEvent(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`fake-fal: no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = board.onEvent((event) => {
          if (!predicate(event)) return;
          clearTimeout(timer);
          off();
          resolve(event);
        });
      });
    },
    onEvent: (listener) => board.onEvent(listener),
    events: board.events,
    completedAt: (requestId) => board.events.find((e) => e.type === 'completed' && e.requestId === requestId)?.at,
    submissions,
    submissionsFor: (key) => submissions.filter((s) => s.inputKey === key || s.uploadSha256s.includes(key)).length,
    requests,
    requestsFor: (op) => requests.filter((r) => r.op === op),
    uploads: () =>
      files
        .all()
        .filter((f) => f.kind === 'upload' && f.bytes && f.sha256)
        .map((f) => ({
          fileId: f.id,
          url: files.urlOf(f),
          fileName: f.fileName,
          contentType: f.contentType,
          size: f.bytes?.length ?? 0,
          sha256: f.sha256 ?? '',
        })),
    releaseStalled() {
      const held = [...stalled];
      held.forEach((rest) => rest());
      return held.length;
    },
    async close() {
      board.close();
      for (const timer of sleepTimers) clearTimeout(timer);
      sleepTimers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
  return fake;
}
