// Attack on OBJ names (the export button of the library's details pane). Choose "Garden gnome.obj" in
// the save dialog: the app wrote Garden_gnome.obj (+ Garden_gnome.mtl and textures) and said "Exported to
// .../Garden gnome.obj", a file that was not there. Written under the chosen name, a second model saved
// as "Garden_gnome.obj" beside it (the dialog asks only about the OBJ) would overwrite the first one's
// MTL and textures (companion names drop spaces and #, 8f51889). Now the OBJ has the chosen name and a
// new OBJ whose companion names are taken gets its own (Garden_gnome-2.mtl), named in it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { exportModel } from '../../src/core/library/export-model';
import { makeTestGlb } from '../fixtures/make-glb';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const mtllibOf = (obj: string) => /^mtllib (.+)$/m.exec(obj)?.[1];

it('an OBJ export whose companion names collide after sanitising leaves the other export\'s MTL and textures alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-obj-collide-'));
  dirs.push(dir);
  const [a, b] = [join(dir, 'a.glb'), join(dir, 'b.glb')];
  writeFileSync(a, await makeTestGlb({ triangles: 200, textureSize: 64, seed: 1 }));
  writeFileSync(b, await makeTestGlb({ triangles: 300, textureSize: 64, seed: 2 }));
  const out = join(dir, 'out');
  mkdirSync(out);

  await exportModel(a, join(out, 'Garden gnome.obj'), 'obj');
  const before = Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
  await exportModel(b, join(out, 'Garden_gnome.obj'), 'obj');

  // Every file of the first export is as it was.
  for (const [name, bytes] of Object.entries(before)) expect(readFileSync(join(out, name)).equals(bytes), name).toBe(true);
  // The second OBJ names a material library of its own, which is there.
  const second = readFileSync(join(out, 'Garden_gnome.obj'), 'utf8');
  const library = mtllibOf(second)!;
  expect(library).not.toBe(mtllibOf(readFileSync(join(out, 'Garden gnome.obj'), 'utf8')));
  const mtl = readFileSync(join(out, library), 'utf8');
  for (const texture of mtl.match(/^map_Kd (.+)$/gm) ?? []) expect(readdirSync(out)).toContain(texture.slice('map_Kd '.length));

  // Exporting the second model again over its own OBJ (the dialog asked) reuses its own companions.
  const files = readdirSync(out).length;
  await exportModel(b, join(out, 'Garden_gnome.obj'), 'obj');
  expect(readdirSync(out)).toHaveLength(files);
  expect(mtllibOf(readFileSync(join(out, 'Garden_gnome.obj'), 'utf8'))).toBe(library);
});
