// The toast an export that failed shows. The core's own words may already begin "Export failed: ..."
// (a conversion that threw, see core/library/export-model.ts and core/export/handlers.ts); others
// ("The model file could not be read ...", a folder that cannot be used) do not. Either way the
// toast says "Export failed" once.
const SAID = /^export failed\b/i;

export function exportFailedText(message: string): string {
  return SAID.test(message.trim()) ? message : `Export failed: ${message}`;
}
