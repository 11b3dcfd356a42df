// The one place that hands URLs to the operating system: https only, and only to allowlisted hosts.
import { shell } from 'electron';
import { DEFAULT_EXTERNAL_ALLOWLIST } from '../core/services';

/** True for https URLs whose host is on the allowlist (exact match, no subdomains, no credentials). */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = DEFAULT_EXTERNAL_ALLOWLIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && !parsed.username && !parsed.password && allowlist.includes(parsed.hostname);
}

/** Opens an allowlisted https link in the user's browser; anything else is refused (returns false). */
export async function openExternalIfAllowed(url: string, allowlist: readonly string[] = DEFAULT_EXTERNAL_ALLOWLIST): Promise<boolean> {
  if (!isAllowedExternalUrl(url, allowlist)) return false;
  await shell.openExternal(new URL(url).toString());
  return true;
}
