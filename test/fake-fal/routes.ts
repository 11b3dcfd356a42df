// Which operation an incoming request is. Three ways in:
//  - proxy mode: any path, header `x-fal-target-url: https://queue.fal.run/...` or `https://rest.fal.ai/...`;
//  - host-rewrite mode: a custom fetch replaced the FAL origin with ours, so the path is FAL's path;
//  - direct: our own upload/file URLs, and the /_fake control API.

export type Route =
  | { op: 'initiate'; multipart: boolean }
  | { op: 'upload'; fileId: string; part?: number; complete: boolean }
  | { op: 'file'; fileId: string }
  | { op: 'submit'; endpointId: string }
  | { op: 'status' | 'stream' | 'result' | 'cancel'; appPath: string; requestId: string }
  | { op: 'control'; path: string[] }
  /** api.fal.ai/v1 (the platform API); the handler reads path and query from the target URL. */
  | { op: 'platform' }
  | { op: 'unknown'; status: number; detail: string };

export const TARGET_URL_HEADER = 'x-fal-target-url';
const FAL_HOST = /(^|\.)fal\.(ai|run)$/;

function segmentsOf(pathname: string): string[] {
  return pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

function restRoute(method: string, segments: string[]): Route {
  const [storage, upload, action] = segments;
  if (method === 'POST' && storage === 'storage' && upload === 'upload' && segments.length === 3) {
    if (action === 'initiate') return { op: 'initiate', multipart: false };
    if (action === 'initiate-multipart') return { op: 'initiate', multipart: true };
  }
  return { op: 'unknown', status: 404, detail: `fake-fal: no REST route ${method} /${segments.join('/')}` };
}

function queueRoute(method: string, segments: string[]): Route {
  const at = segments.indexOf('requests');
  const requestId = segments[at + 1];
  if (at >= 2 && requestId) {
    const appPath = segments.slice(0, at).join('/');
    const tail = segments.slice(at + 2).join('/');
    if (method === 'GET' && tail === '') return { op: 'result', appPath, requestId };
    if (method === 'GET' && tail === 'status') return { op: 'status', appPath, requestId };
    if (method === 'GET' && tail === 'status/stream') return { op: 'stream', appPath, requestId };
    if (method === 'PUT' && tail === 'cancel') return { op: 'cancel', appPath, requestId };
    return { op: 'unknown', status: 405, detail: `fake-fal: no queue route ${method} .../requests/${requestId}/${tail}` };
  }
  if (method === 'POST' && segments.length >= 2) return { op: 'submit', endpointId: segments.join('/') };
  return { op: 'unknown', status: 404, detail: `fake-fal: no queue route ${method} /${segments.join('/')}` };
}

function localRoute(method: string, segments: string[]): Route {
  const [first, id, extra] = segments;
  if (first === 'upload' && id) {
    if (method === 'POST' && extra === 'complete') return { op: 'upload', fileId: id, complete: true };
    if (method === 'PUT' && extra === undefined) return { op: 'upload', fileId: id, complete: false };
    if (method === 'PUT' && extra !== undefined && /^\d+$/.test(extra)) {
      return { op: 'upload', fileId: id, part: Number(extra), complete: false };
    }
  }
  if (first === 'files' && id && (method === 'GET' || method === 'HEAD')) return { op: 'file', fileId: id };
  if (first === '_fake') return { op: 'control', path: segments.slice(1) };
  if (first === 'v1') return { op: 'platform' };
  if (first === 'storage') return restRoute(method, segments);
  return queueRoute(method, segments);
}

/** Classify a request; `targetUrl` is what the client meant to call (for logs and fault matching). */
export function routeRequest(
  method: string,
  localUrl: URL,
  targetHeader: string | undefined,
): { route: Route; targetUrl: string } {
  if (targetHeader === undefined) return { route: localRoute(method, segmentsOf(localUrl.pathname)), targetUrl: localUrl.href };
  let target: URL;
  try {
    target = new URL(targetHeader);
  } catch {
    return { route: { op: 'unknown', status: 412, detail: 'Invalid x-fal-target-url header' }, targetUrl: targetHeader };
  }
  const segments = segmentsOf(target.pathname);
  if (!FAL_HOST.test(target.hostname)) {
    return { route: { op: 'unknown', status: 412, detail: `Invalid target host ${target.hostname}` }, targetUrl: target.href };
  }
  if (target.hostname === 'rest.fal.ai') return { route: restRoute(method, segments), targetUrl: target.href };
  if (target.hostname === 'queue.fal.run') return { route: queueRoute(method, segments), targetUrl: target.href };
  if (target.hostname === 'api.fal.ai') return { route: { op: 'platform' }, targetUrl: target.href };
  return {
    route: { op: 'unknown', status: 404, detail: `fake-fal: ${target.hostname} is not simulated (queue.fal.run, rest.fal.ai and api.fal.ai are)` },
    targetUrl: target.href,
  };
}
