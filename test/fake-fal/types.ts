// Public types of the fake FAL server (test/dev only). Shapes mirror what FAL's queue API sends;
// see /work/shared/FAL.md for which parts are verified.
import type { PlatformOptions } from './platform-types';

/** One kind of HTTP exchange the fake understands; fault rules match on these. */
export type Operation = 'initiate' | 'upload' | 'submit' | 'status' | 'stream' | 'result' | 'cancel' | 'file' | 'platform';

export type QueueState = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED';

/** FAL's File object as it appears in results. */
export interface FalFile {
  url: string;
  content_type: string;
  file_name: string;
  file_size: number;
}

export interface FalLogEntry {
  message: string;
  level: 'INFO' | 'WARNING' | 'ERROR' | 'DEBUG';
  source: 'USER';
  timestamp: string;
}

/** Pydantic-style field error as FAL puts it in a 422 body's `detail[]`. */
export interface FalFieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** What goes wrong with a single HTTP exchange. */
export type HttpFault =
  /** 429; `retryAfter` in seconds (number) or as an HTTP date (Date); omitted = no Retry-After header. */
  | { kind: 'rateLimit'; retryAfter?: number | Date }
  /** FAL infra error: body `{detail, error_type}` + header `X-Fal-Error-Type`. `afterHandling`: do the
   *  work first (a submit is queued), then answer the error ("5xx after queueing"). */
  | { kind: 'infra'; status: 500 | 502 | 503 | 504; errorType?: string; detail?: string; timeoutType?: 'user' | 'infra'; afterHandling?: boolean }
  /** 401 (bad key) or 403 (locked / no balance). */
  | { kind: 'auth'; status?: 401 | 403; detail?: string }
  /** 422 with FAL-style `{detail: [{loc, msg, type}]}` (or a plain string detail). */
  | { kind: 'validation'; detail?: FalFieldError[] | string }
  /** Any other answer. `body` is sent as JSON unless it is a string, or as they are when bytes (a hostile file). */
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Destroy the socket. `afterHandling`: do the work first (e.g. the submit is accepted), then drop. */
  | { kind: 'reset'; afterHandling?: boolean }
  /** Never answer (socket is cleaned up on close). `afterHandling` as for reset. */
  | { kind: 'hang'; afterHandling?: boolean }
  /** Send only the first `bytes` of the body (default: half). `abort`: announce the full length and
   *  cut the connection mid-body instead of sending an honest short body. */
  | { kind: 'truncate'; bytes?: number; abort?: boolean }
  /** Do the work, then send the answer padded to `bytes` bytes of JSON (its own fields plus a long
   *  string), streamed; `chunked`: with no Content-Length. */
  | { kind: 'oversized'; bytes: number; chunked?: boolean }
  /** Send the headers (full length) and the first `bytes` of the body (default: half), then nothing
   *  until `releaseStalled()` (a server that stalls mid-download). */
  | { kind: 'stall'; bytes?: number }
  /** Replace the body with bytes that are not a GLB (content-type unchanged). */
  | { kind: 'notGlb' }
  /** 404 as for an expired CDN object. */
  | { kind: 'expired' }
  /** The request id is forgotten from now on: status/stream/result 404, cancel NOT_FOUND. */
  | { kind: 'forget' }
  /** Status stream: 200 text/event-stream with one event that never ends (no line end), `bytes` long
   *  in all, written as the reader takes them; then the answer ends (a broken or hostile server). */
  | { kind: 'endlessEvent'; bytes: number }
  /** Status stream: every event written in pieces of `bytes` bytes, `gapMs` apart (default 5), so the
   *  reader gets them as separate chunks - a piece may end inside a multi-byte character. */
  | { kind: 'drip'; bytes: number; gapMs?: number };

/** What happens to a whole job; attached by a rule on op 'submit'. */
export type JobOutcome =
  /** Reaches COMPLETED (with `error`/`error_type` in the status) but the result GET fails. */
  | { kind: 'failedRun'; status?: 500 | 422; detail?: FalFieldError[] | string; errorType?: string }
  /** Every download of the job's GLB is cut short (honest Content-Length). */
  | { kind: 'truncatedGlb'; bytes?: number }
  /** The job's GLB URL serves bytes that are not a GLB. */
  | { kind: 'notGlb' }
  /** The job's output URLs answer 404. */
  | { kind: 'expiredFiles' }
  /** FAL forgets the request right after accepting it. */
  | { kind: 'forgotten' }
  /** This job takes this long instead of the configured processing time. */
  | { kind: 'processingMs'; ms: number }
  /** The job succeeds, with `text` in every log line and in its output files' names. */
  | { kind: 'echoText'; text: string }
  /** The job succeeds and logs these lines (as a model's own output) when it starts running. */
  | { kind: 'logLines'; lines: string[] };

export interface RequestContext {
  op: Operation;
  method: string;
  /** The URL the client meant (https://queue.fal.run/...), or the local URL for uploads/files. */
  targetUrl: string;
  /** Endpoint id for submit (`tripo3d/tripo/v2.5/image-to-3d`), `<owner>/<alias>` for the others. */
  endpoint?: string;
  requestId?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface FaultRule {
  op: Operation | Operation[];
  /** How many matching exchanges this rule applies to (default 1; Infinity = always). */
  times?: number;
  /** Only for this endpoint: exact id, or a prefix such as `tripo3d/tripo`. */
  endpoint?: string;
  requestId?: string;
  when?: (ctx: RequestContext) => boolean;
  /** Wait this long before answering (alone = plain latency). */
  delayMs?: number;
  fault?: HttpFault;
  /** Only with op 'submit': the accepted job gets this outcome. */
  outcome?: JobOutcome;
}

export interface FakeFalOptions {
  /** 0 = random free port. */
  port?: number;
  host?: string;
  /** Running jobs at once; the rest wait IN_QUEUE (default 2). */
  concurrency?: number;
  /** Time from IN_PROGRESS to COMPLETED (default 300; 0 is fine). */
  processingMs?: number | ((job: { endpointId: string; input: unknown; seq: number }) => number);
  /** Jobs stay IN_PROGRESS until `completeNow` (default false). */
  holdJobs?: boolean;
  /** Added to every answer. */
  latencyMs?: number;
  /** Accepted API keys; default: any key of at least 10 characters. */
  acceptedKeys?: string[];
  /** Running jobs stop on cancel (default false: the model ignores the signal and finishes, billed). */
  cancelStopsRunning?: boolean;
  /** Which GLB fields a Tripo result fills (default ['pbr_model']). */
  tripoFields?: ('pbr_model' | 'model_mesh' | 'base_model')[];
  /**
   * Each job gets its own GLB (distinct bytes/hash) (default true); false = one shared GLB; 'stamped' =
   * distinct files made cheaply from one GLB and preview (the job's number written into them; for benches).
   */
  uniqueOutputs?: boolean | 'stamped';
  /**
   * Makes a job's preview image (Tripo's rendered_image, Rodin's texture) from the bytes of its input
   * image (null when the input is not one of this server's uploads); default: a generated pattern.
   * For the README's screenshots, whose library should not show test patterns.
   */
  previewImage?: (input: Buffer | null) => Promise<Uint8Array>;
  /** Shape of generated GLBs (default: ~2000 triangles, 256 px texture). */
  glb?: { triangles?: number; textured?: boolean; textureSize?: number };
  /** The platform API (api.fal.ai/v1): prices, request history, billing; see platform-types.ts. */
  platform?: PlatformOptions;
}

/** Options that can change while the server runs. */
export type RuntimeOptions = Pick<
  FakeFalOptions,
  'concurrency' | 'processingMs' | 'holdJobs' | 'latencyMs' | 'acceptedKeys' | 'cancelStopsRunning' | 'tripoFields'
>;

export interface JobSnapshot {
  requestId: string;
  seq: number;
  endpointId: string;
  /** `<owner>/<alias>` (with namespace when the id has one). */
  appPath: string;
  input: unknown;
  state: QueueState;
  queuePosition?: number;
  logs: FalLogEntry[];
  cancelled: boolean;
  forgotten: boolean;
  failed: boolean;
  /** Ran on a GPU and would be charged (started, and not failed with a 5xx). */
  billed: boolean;
  submittedAt: number;
  startedAt?: number;
  completedAt?: number;
}

export interface Submission {
  requestId: string;
  endpointId: string;
  input: unknown;
  /** sha256 of every uploaded file the input refers to (by file URL), in input order. */
  uploadSha256s: string[];
  /** First upload's sha256 if any, else sha256 of the input JSON. */
  inputKey: string;
  at: number;
}

export interface RequestLogEntry {
  op: Operation | 'control' | 'unknown';
  method: string;
  targetUrl: string;
  requestId?: string;
  endpoint?: string;
  /** HTTP status answered, or 'reset' / 'hang'. */
  outcome: number | 'reset' | 'hang';
  /** Fault kind applied, if any. */
  fault?: string;
  /** endlessEvent: bytes of the body written before it ended or the reader hung up. */
  bytesSent?: number;
  /** Authorization header as sent (test keys only). */
  authorization?: string;
  at: number;
}

export type FakeFalEventType = 'submitted' | 'started' | 'log' | 'completed' | 'cancelled' | 'forgotten';

export interface FakeFalEvent {
  type: FakeFalEventType;
  requestId: string;
  endpointId: string;
  /** Epoch milliseconds with sub-ms precision (performance.timeOrigin + performance.now()). */
  at: number;
  message?: string;
}
