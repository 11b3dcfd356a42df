// An export that fails says "Export failed" once in the window's toast: the core's message for a
// conversion that threw already begins with it, and the window used to put it in front again
// ("Export failed: Export failed: ...").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportModel } from '../../src/core/library/export-model';
import { UNREADABLE_MODEL_MESSAGE } from '../../src/core/util/low-level-error';
import { exportFailedText } from '../../src/renderer/src/lib/export-failed';

const timesSaid = (text: string) => text.match(/export failed/gi)?.length ?? 0;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('export failed toast', () => {
  it('a conversion that threw: the core message is shown as it is, saying it once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'export-failed-'));
    const src = join(dir, 'broken.glb');
    writeFileSync(src, Buffer.from('not a glb at all, just some bytes'));
    const error = await exportModel(src, join(dir, 'out.obj'), 'obj').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^Export failed: /);
    const text = exportFailedText(error!.message);
    expect(timesSaid(text)).toBe(1);
    expect(text).toBe(error!.message);
  });

  it('a message that does not say it gets "Export failed:" in front', () => {
    expect(exportFailedText(UNREADABLE_MODEL_MESSAGE)).toBe(`Export failed: ${UNREADABLE_MODEL_MESSAGE}`);
    expect(exportFailedText('The folder D:\\Exports could not be used.')).toBe('Export failed: The folder D:\\Exports could not be used.');
  });
});
