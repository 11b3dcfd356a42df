// Applies the theme setting: 'system' follows prefers-color-scheme live; the page reads data-theme.
import { useEffect, useSyncExternalStore } from 'react';
import type { Settings } from '../../../shared/settings';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function applyTheme(theme: Settings['theme']): void {
  const resolved = theme === 'system' ? (darkQuery().matches ? 'dark' : 'light') : theme;
  document.documentElement.dataset.theme = resolved;
}

export function useTheme(theme: Settings['theme'] | undefined): void {
  useEffect(() => {
    const choice = theme ?? 'system';
    applyTheme(choice);
    if (choice !== 'system') return;
    const query = darkQuery();
    const onChange = () => applyTheme('system');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [theme]);
}

/** The theme in effect (data-theme on the root; the system's on a page that sets none), live. */
export function useResolvedTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribeToTheme, resolvedTheme);
}

function resolvedTheme(): 'light' | 'dark' {
  const theme = document.documentElement.dataset.theme;
  if (theme === 'dark' || theme === 'light') return theme;
  return darkQuery().matches ? 'dark' : 'light';
}

function subscribeToTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
