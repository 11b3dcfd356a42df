// Where the FAL key may go: FAL's own API hosts (https), or a proxy the user confirmed. Every fetch
// that can carry the key (the FAL client, the key test, the engine's other calls) goes through
// keyGuardFetch, which removes the Authorization header on the way to any other host. So even a
// wrong proxy setting, a crafted upload or result URL, or a bug elsewhere cannot hand the key out.

/** Where FAL calls go and whether the key goes with them. */
export interface FalRoute {
  /** A proxy that receives every FAL call (FAL's `proxyUrl`), or null to call FAL directly. */
  proxyUrl: string | null;
  /** Send `Authorization: Key ...` to the proxy too. A proxy in FAL's sense adds the key itself, so false by default. */
  sendKeyToProxy: boolean;
}

export const DIRECT_TO_FAL: FalRoute = { proxyUrl: null, sendKeyToProxy: false };

/** FAL's API domains: queue.fal.run, fal.run, rest.fal.ai, api.fal.ai and their other subdomains. */
const FAL_API_DOMAINS = ['fal.run', 'fal.ai'];

export function isFalApiHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return FAL_API_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True when `url` is https to a FAL API host: the key may always go there. */
export function isFalApiUrl(url: URL): boolean {
  return url.protocol === 'https:' && !url.username && !url.password && isFalApiHost(url.hostname);
}

export type ProxyUrlProblem = 'invalid' | 'scheme' | 'credentials' | 'plain_http';

/**
 * Checks a proxy address: https, or plain http only to this computer (loopback); no user name or
 * password inside the URL. Returns the normalized URL, or the reason it is refused.
 */
export function checkProxyUrl(raw: string): { ok: true; url: URL } | { ok: false; problem: ProxyUrlProblem; message: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid', message: 'That is not a web address (it should look like https://proxy.example.com/fal).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'scheme', message: 'A FAL proxy address must start with https://.' };
  }
  if (url.username || url.password) {
    return { ok: false, problem: 'credentials', message: 'A FAL proxy address may not contain a user name or password.' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, problem: 'plain_http', message: 'A FAL proxy on another computer must use https://; plain http:// is only accepted for this computer (localhost).' };
  }
  url.hash = '';
  return { ok: true, url };
}

/** Whether a request to `target` may carry the key under `route`. */
export function keyMayGoTo(target: URL, route: FalRoute): boolean {
  if (isFalApiUrl(target)) return true;
  if (!route.proxyUrl || !route.sendKeyToProxy) return false;
  const proxy = checkProxyUrl(route.proxyUrl);
  return proxy.ok && proxy.url.origin === target.origin;
}

/**
 * Wraps `base` so the Authorization header only reaches the hosts `route()` allows (read on every
 * call, so a confirmed change applies at once). Other requests go out without it.
 */
export function keyGuardFetch(base: typeof fetch, route: () => FalRoute): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : null;
    const target = targetOf(input);
    const headers = new Headers(init?.headers ?? request?.headers);
    if (!headers.has('authorization') || (target && keyMayGoTo(target, route()))) return base(input, init);
    headers.delete('authorization');
    if (request) return base(new Request(request, { ...init, headers }));
    return base(input, { ...init, headers });
  };
}

function targetOf(input: Parameters<typeof fetch>[0]): URL | null {
  try {
    return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  } catch {
    return null;
  }
}

/**
 * The route for a proxy named on the command line or in IMAGE2MODEL_FAL_PROXY (typing it is the
 * user's confirmation). The key goes with it to a proxy on this computer (a development proxy or the
 * fake FAL server), or anywhere when IMAGE2MODEL_FAL_PROXY_SEND_KEY=1; =0 never sends it.
 */
export function routeFromCommandLine(proxyUrl: string | null | undefined, env: NodeJS.ProcessEnv): FalRoute {
  if (!proxyUrl) return DIRECT_TO_FAL;
  const checked = checkProxyUrl(proxyUrl);
  if (!checked.ok) throw new Error(`IMAGE2MODEL_FAL_PROXY / --fal-proxy: ${checked.message}`);
  const choice = env.IMAGE2MODEL_FAL_PROXY_SEND_KEY?.trim();
  const sendKeyToProxy = choice === '1' ? true : choice === '0' ? false : isLoopbackHost(checked.url.hostname);
  return { proxyUrl: checked.url.toString(), sendKeyToProxy };
}
