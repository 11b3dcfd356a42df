// URLs of library files by id: the app serves them under fileBaseUrl, never by path.
export type FileKind = 'model' | 'preview' | 'input' | 'sample';

export function fileUrl(baseUrl: string, kind: FileKind, id: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}${kind}/${encodeURIComponent(id)}`;
}
