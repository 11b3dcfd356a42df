// For tests that keep the direct route to FAL (no proxy) on purpose: the network below the key guard
// with FAL's own hosts unreachable, as on a closed network - so they never reach the real FAL, and
// behave the same with or without internet. Every other host is the real network (a test's listener).
import { isRealFalHost } from './no-real-fal.mjs';

export function withFalUnreachable(base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (isRealFalHost(url.hostname)) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`${url.hostname} is unreachable in this test`) }));
    return base(input, init);
  };
}
