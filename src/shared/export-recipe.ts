// Export recipes and presets: what the export studio, the CLI and the automatic export agree on.
// A recipe is the full set of knobs; a preset is a named, documented recipe (built in or saved).
import { z } from 'zod';
import { graphemeCount } from './text-cut';

export const OutputFormatSchema = z.enum(['glb', 'obj', 'stl', '3mf', 'usdz']);
export type OutputFormat = z.infer<typeof OutputFormatSchema>;

export const LengthUnitSchema = z.enum(['m', 'cm', 'mm', 'in']);
export type LengthUnit = z.infer<typeof LengthUnitSchema>;

/** Metres per unit. */
export const METRES_PER_UNIT: Record<LengthUnit, number> = { m: 1, cm: 0.01, mm: 0.001, in: 0.0254 };

/**
 * The real sizes an export accepts, per unit: 0.1 mm to 1 km, in round numbers. Smaller flattens the
 * mesh (its coordinates underflow float32 to 0); larger is no object anybody prints or places.
 */
export const REAL_SIZE_RANGE: Record<LengthUnit, { min: number; max: number }> = {
  mm: { min: 0.1, max: 1_000_000 },
  cm: { min: 0.01, max: 100_000 },
  m: { min: 0.0001, max: 1_000 },
  in: { min: 0.004, max: 40_000 },
};

const plainNumber = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 4 });

/** Why a real size cannot be used (naming the range allowed in its unit), or null when it can. */
export function realSizeProblem(size: { value: number; unit: LengthUnit }): string | null {
  const { min, max } = REAL_SIZE_RANGE[size.unit];
  if (Number.isFinite(size.value) && size.value >= min && size.value <= max) return null;
  return `Real size must be from ${plainNumber(min)} to ${plainNumber(max)} ${size.unit} (0.1 mm to 1 km).`;
}

export const SimplifySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('triangles'), triangles: z.number().int().min(12).max(10_000_000) }),
  z.object({ mode: z.literal('ratio'), ratio: z.number().gt(0).max(1) }),
]);

export const ExportRecipeSchema = z.object({
  /** Files to write, each format once (a repeat wrote and counted the same file twice); LODs apply to GLB only. */
  formats: z
    .array(OutputFormatSchema)
    .min(1)
    .max(5)
    .transform((formats) => [...new Set(formats)]),
  /** Which axis is up in the written file. glTF is Y-up by its spec; printers and CAD expect Z. */
  upAxis: z.enum(['y', 'z']).default('y'),
  /** Unit of the numbers in STL, 3MF, OBJ and USDZ files (GLB is always metres, by its spec). */
  unit: LengthUnitSchema.default('m'),
  /** Scale uniformly so this dimension (measured with Y up) has this real length. Null keeps the size. */
  realSize: z
    .object({ dimension: z.enum(['height', 'longest']), value: z.number(), unit: LengthUnitSchema })
    .superRefine((size, ctx) => {
      const problem = realSizeProblem(size);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
    })
    .nullable()
    .default(null),
  /** Where the origin ends up: the bounding box centre, the centre of its base, or left as made. */
  pivot: z.enum(['original', 'center', 'base']).default('original'),
  /** Merge identical vertices first (better simplification, smaller files). */
  weld: z.boolean().default(false),
  simplify: SimplifySchema.nullable().default(null),
  /**
   * Extra levels of detail as fractions of the (simplified) triangle count, e.g. [1, 0.5, 0.25, 0.1].
   * Finest first whatever order they were typed in: engines take LOD0 as the one shown up close.
   */
  lods: z
    .array(z.number().gt(0).max(1))
    .max(6)
    .default([])
    .transform((lods) => [...new Set(lods)].sort((a, b) => b - a)),
  textures: z
    .object({
      maxSize: z.number().int().min(16).max(8192).nullable().default(null),
      format: z.enum(['original', 'png', 'jpeg', 'webp']).default('original'),
    })
    .default({ maxSize: null, format: 'original' }),
  compression: z.enum(['none', 'meshopt', 'draco']).default('none'),
  /** Reported against the GLB size (bytes); null means no budget. */
  sizeBudgetBytes: z.number().int().positive().nullable().default(null),
  /** File name without extension: {name}, {id}, {preset} and {date} are replaced. */
  fileName: z.string().trim().min(1).max(120).default('{name}'),
});
export type ExportRecipe = z.infer<typeof ExportRecipeSchema>;
export type ExportRecipeInput = z.input<typeof ExportRecipeSchema>;

export const PresetIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Use lower-case letters, digits, - and _');

/** Longest preset name, in characters as people count them (text-cut.ts): a line in the studio's list and a flag's value in the CLI. */
export const PRESET_LABEL_MAX = 80;
/**
 * And at most this many UTF-16 units (25 a character: a family of four with skin tones takes 19), checked
 * first: one character can hold any number of combining marks, and counting graphemes takes time that
 * grows faster than the text (a megabyte name would hold the main process for minutes).
 */
export const PRESET_LABEL_MAX_UNITS = PRESET_LABEL_MAX * 25;
/** Most presets the user can save (the studio lists them all beside the built-in ones). */
export const MAX_SAVED_PRESETS = 50;

export const PresetLabelSchema = z
  .string()
  .trim()
  .min(1, 'Give the preset a name.')
  .refine((label) => label.length <= PRESET_LABEL_MAX_UNITS && graphemeCount(label) <= PRESET_LABEL_MAX, `A preset name can be at most ${PRESET_LABEL_MAX} characters.`);

export const ExportPresetSchema = z.object({
  id: PresetIdSchema,
  label: PresetLabelSchema,
  description: z.string().max(600).default(''),
  builtIn: z.boolean().default(false),
  recipe: ExportRecipeSchema,
});
export type ExportPreset = z.infer<typeof ExportPresetSchema>;

const TextureSizeSchema = z.object({ width: z.number().int(), height: z.number().int(), mimeType: z.string() });

/** A mesh's printability, measured on the final geometry in the file's unit. */
export const PrintReportSchema = z.object({
  closed: z.boolean(),
  /** Boundary loops: each is a hole a slicer has to guess how to close. */
  holes: z.number().int().nonnegative(),
  /** Edges shared by more than two triangles. */
  nonManifoldEdges: z.number().int().nonnegative(),
  /** Enclosed volume in cubic units (meaningful only when closed). */
  volume: z.number().nonnegative(),
  unit: LengthUnitSchema,
  size: z.tuple([z.number(), z.number(), z.number()]),
});
export type PrintReport = z.infer<typeof PrintReportSchema>;

export const ExportFileInfoSchema = z.object({
  name: z.string(),
  format: z.string(),
  bytes: z.number().int().nonnegative(),
  triangles: z.number().int().nonnegative().nullable(),
});

export const ExportPlanSchema = z.object({
  source: z.object({ triangles: z.number().int(), bytes: z.number().int(), textures: z.array(TextureSizeSchema) }),
  result: z.object({
    triangles: z.number().int(),
    textures: z.array(TextureSizeSchema),
    /** Bounding box size in metres, after scaling. */
    size: z.tuple([z.number(), z.number(), z.number()]),
    glbBytes: z.number().int().nullable(),
  }),
  files: z.array(ExportFileInfoSchema),
  totalBytes: z.number().int(),
  budget: z.object({ bytes: z.number().int(), withinBudget: z.boolean() }).nullable(),
  print: PrintReportSchema.nullable(),
  warnings: z.array(z.string()),
  ms: z.number(),
});
export type ExportPlan = z.infer<typeof ExportPlanSchema>;

export const BatchItemResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  files: z.array(z.string()),
  error: z.string().nullable(),
});

export const BatchSummarySchema = z.object({
  batchId: z.string(),
  dir: z.string(),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  canceled: z.boolean(),
  items: z.array(BatchItemResultSchema),
  ms: z.number(),
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

export const BatchProgressSchema = z.object({
  batchId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  failed: z.number().int(),
  current: z.string().nullable(),
});
export type BatchProgress = z.infer<typeof BatchProgressSchema>;
