import type { Plugin } from 'vite';

/** Vite's dev server needs inline scripts and its own socket; the built app keeps the strict CSP. */
export function relaxCspInDev(): Plugin {
  return {
    name: 'relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}
