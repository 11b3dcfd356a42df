// Which glTF extensions a file declares, read from its JSON without parsing the rest, so optional
// decoders are fetched only for the files that need them.
const GLB_MAGIC = 0x46546c67; // 'glTF'
const GLB_HEADER_BYTES = 20; // file header (12) + first chunk header (8)

function jsonText(buffer: ArrayBuffer): string | null {
  const view = new DataView(buffer);
  if (buffer.byteLength >= GLB_HEADER_BYTES && view.getUint32(0, true) === GLB_MAGIC) {
    const length = view.getUint32(12, true);
    if (GLB_HEADER_BYTES + length > buffer.byteLength) return null;
    return new TextDecoder().decode(new Uint8Array(buffer, GLB_HEADER_BYTES, length));
  }
  return new TextDecoder().decode(buffer); // a .gltf file is JSON throughout
}

export function extensionsUsed(buffer: ArrayBuffer): Set<string> {
  try {
    const text = jsonText(buffer);
    const json: unknown = text === null ? null : JSON.parse(text);
    const used = (json as { extensionsUsed?: unknown } | null)?.extensionsUsed;
    return new Set(Array.isArray(used) ? used.filter((name): name is string => typeof name === 'string') : []);
  } catch {
    return new Set(); // GLTFLoader reports malformed files with a better message
  }
}
