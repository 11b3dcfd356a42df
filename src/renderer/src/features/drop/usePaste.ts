// Ctrl/Cmd+V anywhere outside a text field adds the clipboard's images.
import { useEffect, useEffectEvent } from 'react';
import { collectFromClipboard, namePasted } from '../../lib/collect-files';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'radio');
}

export function usePaste(onFiles: (files: File[]) => void): void {
  const handle = useEffectEvent(onFiles);
  useEffect(() => {
    const paste = (event: ClipboardEvent) => {
      if (isTextField(event.target) || !event.clipboardData) return;
      const files = collectFromClipboard(event.clipboardData);
      if (files.length === 0) return;
      event.preventDefault();
      handle(files.map(namePasted));
    };
    document.addEventListener('paste', paste);
    return () => document.removeEventListener('paste', paste);
  }, []);
}
