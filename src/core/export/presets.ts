// The built-in export presets: each a documented recipe for one destination. Users tweak them in the
// export studio (or with CLI flags) and may save the result as their own preset.
import { ExportPresetSchema, type ExportPreset, type ExportRecipeInput } from '../../shared/export-recipe';

const builtIn = (id: string, label: string, description: string, recipe: ExportRecipeInput): ExportPreset =>
  ExportPresetSchema.parse({ id, label, description, builtIn: true, recipe });

export const BUILT_IN_PRESETS: readonly ExportPreset[] = [
  builtIn(
    'blender',
    'Blender / DCC',
    'The GLB as generated, with the origin moved to the centre of its base so it stands on the ground. ' +
      'Set a real height to import it at true scale (glTF is in metres).',
    { formats: ['glb'], pivot: 'base' },
  ),
  builtIn(
    'game',
    'Game engine (Unity, Unreal, Godot)',
    'Simplified to 20,000 triangles, textures capped at 1024 px, origin at the base, and four levels of detail ' +
      '(100 / 50 / 25 / 10 %) as name_LOD0.glb ... name_LOD3.glb, the suffix Unity, Unreal and Godot group as LODs.',
    {
      formats: ['glb'],
      pivot: 'base',
      weld: true,
      simplify: { mode: 'triangles', triangles: 20_000 },
      lods: [1, 0.5, 0.25, 0.1],
      textures: { maxSize: 1024, format: 'original' },
    },
  ),
  builtIn(
    'web',
    'Web (three.js, Babylon, model-viewer)',
    'Small and fast to load: Meshopt-compressed geometry, WebP textures up to 1024 px, 30,000 triangles at most, ' +
      'checked against a 2 MB budget (the size before and after is reported).',
    {
      formats: ['glb'],
      pivot: 'base',
      weld: true,
      simplify: { mode: 'triangles', triangles: 30_000 },
      textures: { maxSize: 1024, format: 'webp' },
      compression: 'meshopt',
      sizeBudgetBytes: 2 * 1024 * 1024,
    },
  ),
  builtIn(
    'ar',
    'AR (Android Scene Viewer, iOS Quick Look)',
    'A GLB for Scene Viewer and a USDZ for AR Quick Look, standing on the floor at real size ' +
      '(30 cm tall unless you choose), 50,000 triangles at most, textures up to 2048 px.',
    {
      formats: ['glb', 'usdz'],
      pivot: 'base',
      weld: true,
      realSize: { dimension: 'height', value: 30, unit: 'cm' },
      simplify: { mode: 'triangles', triangles: 50_000 },
      textures: { maxSize: 2048, format: 'original' },
    },
  ),
  builtIn(
    'print',
    '3D printing',
    'STL and 3MF in millimetres, Z up, base on the build plate (z = 0), 100 mm tall unless you choose. ' +
      'Before writing you see whether the mesh is closed, how many holes it has and its volume.',
    {
      formats: ['stl', '3mf'],
      upAxis: 'z',
      unit: 'mm',
      pivot: 'base',
      realSize: { dimension: 'height', value: 100, unit: 'mm' },
    },
  ),
];

export const BUILT_IN_IDS = BUILT_IN_PRESETS.map((p) => p.id);
