// 3MF (3D Manufacturing Format) core spec: one mesh object in the file's unit, welded so shared
// edges are shared vertices (slicers check manifoldness on indices), in an OPC zip package.
import { METRES_PER_UNIT, type LengthUnit } from '../../shared/export-recipe';
import { firstUnwritable, MeshNumbersError, unwritableMessage } from '../library/mesh-numbers';
import { AsciiWriter } from './ascii-writer';
import type { WeldedMesh } from './measure';
import { zipDeflated } from './zip';

const UNIT_NAMES: Record<LengthUnit, string> = { mm: 'millimeter', cm: 'centimeter', m: 'meter', in: 'inch' };

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
</Types>
`;

const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>
</Relationships>
`;

/** XML-escaped, and anything outside ASCII as a character reference (the writer is ASCII-only). */
const xmlText = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!).replace(/[^\x20-\x7e]/gu, (c) => `&#${c.codePointAt(0)};`);

/** The 3D/3dmodel.model part; coordinates with four decimals (0.1 micrometre in millimetres). */
export function modelXml({ points, triangles }: WeldedMesh, opts: { unit: LengthUnit; title: string }): Uint8Array {
  const scale = 1 / METRES_PER_UNIT[opts.unit];
  const bad = firstUnwritable(points, scale);
  if (bad >= 0) throw new MeshNumbersError(unwritableMessage('3MF', 'the model', 'vertex positions', points[bad]! * scale));
  // ~75 bytes per vertex line and ~60 per triangle line: one allocation for a typical model.
  const out = new AsciiWriter((points.length / 3) * 75 + (triangles.length / 3) * 60 + 1024);
  out.text(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<model unit="${UNIT_NAMES[opts.unit]}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">`,
      `  <metadata name="Title">${xmlText(opts.title)}</metadata>`,
      '  <metadata name="Application">Image2Model</metadata>',
      '  <resources>',
      `    <object id="1" type="model" name="${xmlText(opts.title)}">`,
      '      <mesh>',
      '        <vertices>',
      '',
    ].join('\n'),
  );
  for (let i = 0; i < points.length; i += 3) {
    out.text('          <vertex x="').fixed4(points[i]! * scale);
    out.text('" y="').fixed4(points[i + 1]! * scale);
    out.text('" z="').fixed4(points[i + 2]! * scale).text('"/>\n');
  }
  out.text('        </vertices>\n        <triangles>\n');
  for (let t = 0; t < triangles.length; t += 3) {
    out.text('          <triangle v1="').uint(triangles[t]!);
    out.text('" v2="').uint(triangles[t + 1]!);
    out.text('" v3="').uint(triangles[t + 2]!).text('"/>\n');
  }
  out.text(['        </triangles>', '      </mesh>', '    </object>', '  </resources>', '  <build>', '    <item objectid="1"/>', '  </build>', '</model>', ''].join('\n'));
  return out.result();
}

export async function write3mf(mesh: WeldedMesh, opts: { unit: LengthUnit; title: string }): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  return zipDeflated([
    { name: '[Content_Types].xml', data: encoder.encode(CONTENT_TYPES) },
    { name: '_rels/.rels', data: encoder.encode(RELS) },
    { name: '3D/3dmodel.model', data: modelXml(mesh, opts) },
  ]);
}
