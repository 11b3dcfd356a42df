// One recipe applied to one GLB, all in memory: weld, place (size, up axis, pivot), textures, simplify,
// levels of detail, compression, then every asked format. Nothing is written here; the caller shows
// the plan (figures + preview) and writes the files when the user agrees.
import type { Document } from '@gltf-transform/core';
import { cloneDocument, draco, meshopt, simplify, textureCompress, weld } from '@gltf-transform/functions';
import sharp from 'sharp';
import { METRES_PER_UNIT, type ExportPlan, type ExportRecipe } from '../../shared/export-recipe';
import { writeObj } from '../library/obj';
import { writeStl } from '../library/stl';
import { collectWorldMeshes } from '../library/world-mesh';
import { meshoptEncoder, readGlb, simplifier, writeGlb } from './io';
import { countTriangles, printReport, textureSizes, weldByPosition } from './measure';
import { placeModel, sceneBounds, zUpToYUp } from './place';
import { write3mf } from './threemf';
import type { ExportStep } from './worker-protocol';
import { writeUsdz } from './usdz';

export interface ExportFile {
  name: string;
  format: string;
  data: Uint8Array;
  triangles: number | null;
}

export interface ExportResult {
  files: ExportFile[];
  plan: ExportPlan;
  /** A GLB of the result (LOD0) for the viewer, whether or not a GLB is among the files. */
  preview: Uint8Array;
}

const UNIT_LABEL = { m: 'metres', cm: 'centimetres', mm: 'millimetres', in: 'inches' } as const;

/** Lets other work (IPC, progress events) run between the heavy synchronous steps. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export function isPassThrough(recipe: ExportRecipe): boolean {
  return (
    !recipe.weld &&
    !recipe.simplify &&
    recipe.lods.length <= 1 &&
    (recipe.lods[0] ?? 1) === 1 &&
    recipe.pivot === 'original' &&
    !recipe.realSize &&
    recipe.upAxis === 'y' &&
    recipe.textures.maxSize === null &&
    recipe.textures.format === 'original' &&
    recipe.compression === 'none'
  );
}

async function simplifyTo(doc: Document, ratio: number) {
  if (ratio >= 1) return;
  // error 1 (no limit): the user asked for a triangle count, so reach it.
  await doc.transform(simplify({ simplifier: await simplifier(), ratio, error: 1 }));
}

async function shrinkTextures(doc: Document, textures: ExportRecipe['textures'], warnings: string[]) {
  const { maxSize, format } = textures;
  const sizes = textureSizes(doc);
  const tooBig = maxSize !== null && sizes.some((t) => t.width > maxSize || t.height > maxSize);
  const convert = format !== 'original' && sizes.some((t) => t.mimeType !== `image/${format}`);
  if (!tooBig && !convert) return;
  if (sizes.some((t) => t.mimeType === 'image/ktx2')) warnings.push('KTX2 textures are kept as they are (they cannot be resized here).');
  await doc.transform(
    textureCompress({
      encoder: sharp,
      formats: /^image\/(png|jpeg|webp)$/,
      // Mid WebP effort: most of the size gain at a fraction of the slowest setting's time. Never for
      // PNG: sharp turns any PNG effort into a 256-colour palette (lossy, and slow to quantize).
      ...(format === 'webp' ? { effort: 50 } : {}),
      ...(maxSize !== null ? { resize: [maxSize, maxSize] as [number, number] } : {}),
      ...(format !== 'original' ? { targetFormat: format } : {}),
    }),
  );
}

async function compress(doc: Document, compression: ExportRecipe['compression']) {
  if (compression === 'meshopt') await doc.transform(meshopt({ encoder: await meshoptEncoder(), level: 'medium' }));
  if (compression === 'draco') await doc.transform(draco({ method: 'edgebreaker' }));
}

export interface RunOptions {
  /** Called as each step starts (the worker forwards them as progress). */
  onStep?: (step: ExportStep) => void;
}

export async function runRecipe(source: Uint8Array, recipe: ExportRecipe, stem: string, opts: RunOptions = {}): Promise<ExportResult> {
  const step = opts.onStep ?? (() => {});
  const started = performance.now();
  const warnings: string[] = [];
  step('read');
  const doc = await readGlb(source);
  const sourceFigures = { triangles: countTriangles(doc), bytes: source.byteLength, textures: textureSizes(doc) };

  step('place');
  if (recipe.weld) await doc.transform(weld());
  await placeModel(doc, recipe);
  await breathe();
  step('textures');
  await shrinkTextures(doc, recipe.textures, warnings);
  await breathe();

  if (recipe.simplify) {
    step('simplify');
    const current = countTriangles(doc);
    const target = recipe.simplify.mode === 'triangles' ? recipe.simplify.triangles : Math.round(current * recipe.simplify.ratio);
    if (target >= current && recipe.simplify.mode === 'triangles') {
      warnings.push(`The model has ${current.toLocaleString('en')} triangles, fewer than the ${target.toLocaleString('en')} asked: kept as is.`);
    }
    await simplifyTo(doc, target / current);
    await breathe();
  }

  const files: ExportFile[] = [];
  const lods = recipe.lods.length > 0 ? recipe.lods : [1];
  let preview: Uint8Array | null = null;
  let glbBytes: number | null = null;
  if (recipe.formats.includes('glb')) {
    step('glb');
    for (const [level, fraction] of lods.entries()) {
      // The base document stays uncompressed for the other formats; a copy is simplified and compressed.
      const lodDoc = fraction === 1 && recipe.compression === 'none' ? doc : cloneDocument(doc);
      await simplifyTo(lodDoc, fraction);
      const triangles = countTriangles(lodDoc);
      await compress(lodDoc, recipe.compression);
      const data = isPassThrough(recipe) ? source : await writeGlb(lodDoc);
      const name = lods.length > 1 ? `${stem}_LOD${level}.glb` : `${stem}.glb`;
      files.push({ name, format: 'glb', data, triangles });
      if (level === 0) {
        if (recipe.upAxis === 'y') preview = data;
        glbBytes = data.byteLength;
      }
      await breathe();
    }
  }
  if (!preview) {
    // Shown as the target tool shows it: a Z-up file stands upright in a slicer.
    const previewDoc = cloneDocument(doc);
    if (recipe.upAxis === 'z') zUpToYUp(previewDoc);
    preview = await writeGlb(previewDoc);
  }

  step('files');
  const meshes = recipe.formats.some((f) => f !== 'glb') ? collectWorldMeshes(doc) : [];
  const forPrint = recipe.formats.includes('stl') || recipe.formats.includes('3mf');
  const welded = forPrint ? weldByPosition(meshes) : null;
  const triangles = countTriangles(doc);
  const toUnit = 1 / METRES_PER_UNIT[recipe.unit];
  for (const format of recipe.formats) {
    if (format === 'stl') files.push({ name: `${stem}.stl`, format, data: writeStl(meshes, toUnit, UNIT_LABEL[recipe.unit]), triangles });
    if (format === '3mf') files.push({ name: `${stem}.3mf`, format, data: await write3mf(welded!, { unit: recipe.unit, title: stem }), triangles });
    if (format === 'usdz') files.push({ name: `${stem}.usdz`, format, data: await writeUsdz(meshes, recipe), triangles });
    if (format === 'obj') files.push(...writeObj(meshes, stem, toUnit).map((file) => ({ ...file, format: 'obj', triangles: file.name.endsWith('.obj') ? triangles : null })));
    await breathe();
  }

  step('report');
  const print = welded ? printReport(welded, recipe.unit) : null;
  if (print && !print.closed) warnings.push(`The mesh is not closed (${print.holes} hole${print.holes === 1 ? '' : 's'}): a slicer may fill or reject it.`);
  if (recipe.formats.includes('usdz') && textureSizes(doc).some((t) => t.mimeType === 'image/webp')) warnings.push('USDZ gets PNG textures (Quick Look reads no WebP).');
  const budget = recipe.sizeBudgetBytes !== null && glbBytes !== null ? { bytes: recipe.sizeBudgetBytes, withinBudget: glbBytes <= recipe.sizeBudgetBytes } : null;
  if (budget && !budget.withinBudget) warnings.push('The GLB is over the size budget: lower the triangle count or the texture size.');

  const { min, max } = sceneBounds(doc);
  const plan: ExportPlan = {
    source: sourceFigures,
    result: {
      triangles,
      textures: textureSizes(doc),
      size: [max[0] - min[0], max[1] - min[1], max[2] - min[2]],
      glbBytes,
    },
    files: files.map(({ name, format, data, triangles: t }) => ({ name, format, bytes: data.byteLength, triangles: t })),
    totalBytes: files.reduce((sum, file) => sum + file.data.byteLength, 0),
    budget,
    print,
    warnings,
    ms: Math.round(performance.now() - started),
  };
  return { files, plan, preview };
}
