// Dragging a model out of the window: Electron starts a native file drag from main (shell:startDrag);
// Chromium gets a DownloadURL so dropping on the desktop saves the GLB.
import type { DragEvent } from 'react';
import type { LibraryModel } from '../../../../shared/domain';
import { call } from '../../api';
import { fileUrl } from '../../lib/files';

export function startModelDrag(event: DragEvent, model: LibraryModel, transport: 'electron' | 'web', fileBaseUrl: string): void {
  if (transport === 'electron') {
    event.preventDefault(); // the native drag replaces the DOM one
    void call('shell:startDrag', { id: model.id }).catch(() => {});
    return;
  }
  const url = new URL(fileUrl(fileBaseUrl, 'model', model.id), window.location.href).toString();
  const fileName = `${model.name.replace(/[\\/:*?"<>|]+/g, '_') || 'model'}.glb`;
  event.dataTransfer.effectAllowed = 'copy';
  event.dataTransfer.setData('DownloadURL', `model/gltf-binary:${fileName}:${url}`);
  event.dataTransfer.setData('text/uri-list', url);
}
