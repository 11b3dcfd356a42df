// 3MF (3D Manufacturing Format) core spec: one mesh object in the file's unit, welded so shared
// edges are shared vertices (slicers check manifoldness on indices), in an OPC zip package.
import { METRES_PER_UNIT, type LengthUnit } from '../../shared/export-recipe';
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

/** Four decimals (0.1 micrometre in millimetres) without exponents. */
const n = (x: number) => {
  const r = Math.round(x * 1e4) / 1e4;
  return Math.abs(r) < 1e-4 ? '0' : String(r); // no exponent between 1e-4 and 1e21
};

const xmlText = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export function write3mf({ points, triangles }: WeldedMesh, opts: { unit: LengthUnit; title: string }): Uint8Array {
  const scale = 1 / METRES_PER_UNIT[opts.unit];
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<model unit="${UNIT_NAMES[opts.unit]}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">`,
    `  <metadata name="Title">${xmlText(opts.title)}</metadata>`,
    '  <metadata name="Application">Image2Model</metadata>',
    '  <resources>',
    `    <object id="1" type="model" name="${xmlText(opts.title)}">`,
    '      <mesh>',
    '        <vertices>',
  ];
  for (let i = 0; i < points.length; i += 3) {
    parts.push(`          <vertex x="${n(points[i]! * scale)}" y="${n(points[i + 1]! * scale)}" z="${n(points[i + 2]! * scale)}"/>`);
  }
  parts.push('        </vertices>', '        <triangles>');
  for (let t = 0; t < triangles.length; t += 3) {
    parts.push(`          <triangle v1="${triangles[t]}" v2="${triangles[t + 1]}" v3="${triangles[t + 2]}"/>`);
  }
  parts.push('        </triangles>', '      </mesh>', '    </object>', '  </resources>', '  <build>', '    <item objectid="1"/>', '  </build>', '</model>', '');
  const encoder = new TextEncoder();
  return zipDeflated([
    { name: '[Content_Types].xml', data: encoder.encode(CONTENT_TYPES) },
    { name: '_rels/.rels', data: encoder.encode(RELS) },
    { name: '3D/3dmodel.model', data: encoder.encode(parts.join('\n')) },
  ]);
}
