// Which download addresses are used: http(s) only, no credentials, https unless the origin is a
// trusted one on this computer, and never a name that resolves to a loopback, private, link-local or
// other special address (checked here before any socket, and again in the connection's own lookup).
import dns from 'node:dns';
import { isIP } from 'node:net';
import { isLoopbackName, isSpecialAddress } from './address-policy';
import type { DownloadOptions } from './download';
import { DownloadError } from './download-error';

/** What the address checks read from the download's options. */
type TargetOptions = Pick<DownloadOptions, 'trustedOrigins' | 'lookup'>;

/** A redirect's Location against the URL that sent it. */
export function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new DownloadError('refused', 'The download was redirected to an address that is not valid');
  }
}

const refused = (message: string) => new DownloadError('refused', message);

/** Checks scheme, credentials and (unless the origin is trusted) every address the host resolves to. */
export async function checkTarget(raw: string, opts: TargetOptions): Promise<{ url: URL; trusted: boolean }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('The result names a download address that is not valid');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'data' || scheme === 'file' || (scheme !== 'https' && scheme !== 'http')) {
    throw refused(`The result names a "${scheme}:" address; only https downloads are accepted`);
  }
  if (url.username || url.password) throw refused('The download address contains a user name or password; it is not used');
  if (trustedOrigin(url, opts.trustedOrigins)) return { url, trusted: true };
  if (scheme !== 'https') throw refused(`Only https downloads are accepted (the result named plain http to ${url.host})`);
  // Checked here for a clear refusal before any socket, and again by the connection's own lookup.
  await checkedAddresses(url, opts);
  return { url, trusted: false };
}

/** Every address the URL's host resolves to, or a refusal when any of them is special. */
export async function checkedAddresses(url: URL, opts: TargetOptions): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolveAll(host, opts.lookup);
  const special = addresses.find(isSpecialAddress);
  if (special !== undefined) {
    throw refused(`The download address ${url.host} points to this computer or a private network (${special}); it is not used`);
  }
  return addresses;
}

function trustedOrigin(url: URL, trusted: readonly string[] | undefined): boolean {
  if (!trusted?.length) return false;
  return trusted.some((origin) => {
    try {
      const parsed = new URL(origin);
      return parsed.origin === url.origin && isLoopbackName(parsed.hostname);
    } catch {
      return false;
    }
  });
}

async function resolveAll(host: string, lookup: DownloadOptions['lookup']): Promise<string[]> {
  try {
    const addresses = lookup ? await lookup(host) : await systemLookup(host);
    if (addresses.length === 0) throw new Error('no address');
    return addresses;
  } catch (error) {
    // The name does not resolve (offline, DNS trouble): a network problem, worth retrying.
    throw new DownloadError('network', `The download server ${host} could not be found`, undefined, { cause: error });
  }
}

/** dns.lookup read at call time: the same resolver (and test guard) a plain connection would use. */
function systemLookup(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address))));
  });
}
