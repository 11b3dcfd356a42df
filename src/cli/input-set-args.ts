// `convert --views front=a.jpg,left=b.jpg` and `convert --together a.jpg b.jpg c.jpg`: several
// images that make one model. Turns the flags into an ordered set with roles, or a usage error
// that says what to type instead.
import { VIEW_ROLES, inputSetProblem, isViewRole, type ViewRole } from '../shared/input-roles';
import type { ModelDefinition } from '../core/models/types';

export interface SetMember {
  path: string;
  role: ViewRole | null;
}

export type SetPlan = { ok: true; inputs: SetMember[] } | { ok: false; message: string };

/** `front=a.jpg,left=b.jpg` -> [{role: 'front', path: 'a.jpg'}, ...]; paths may not hold commas. */
export function parseViewsSpec(spec: string): SetPlan {
  const inputs: SetMember[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      return { ok: false, message: `--views expects view=image pairs such as front=a.jpg,left=b.jpg; got "${part}".` };
    }
    const role = part.slice(0, eq).trim().toLowerCase();
    if (!isViewRole(role)) {
      return { ok: false, message: `"${part.slice(0, eq).trim()}" is not a view: use ${VIEW_ROLES.join(', ')}.` };
    }
    if (inputs.some((input) => input.role === role)) return { ok: false, message: `--views names the ${role} view twice.` };
    inputs.push({ role, path: part.slice(eq + 1).trim() });
  }
  if (inputs.length === 0) return { ok: false, message: '--views expects view=image pairs such as front=a.jpg,left=b.jpg.' };
  return { ok: true, inputs };
}

/** The multi-image models, for messages that suggest one. */
function multiImageIds(models: readonly ModelDefinition[], views: boolean): string {
  return models
    .filter((m) => m.images.max > 1 && Boolean(m.views) === views)
    .map((m) => m.id)
    .join(' or ');
}

/**
 * The set a `convert` run asks for, checked against the model: `--views` for models that name views,
 * `--together` (the positional images in order) for the others.
 */
export function planInputSet(request: {
  views?: string;
  together: boolean;
  images: readonly string[];
  model: ModelDefinition;
  catalog: readonly ModelDefinition[];
}): SetPlan {
  const { model, catalog } = request;
  if (request.views !== undefined && request.together) return { ok: false, message: 'Use either --views or --together, not both.' };
  if (request.views !== undefined) {
    if (request.images.length > 0) {
      return { ok: false, message: `With --views, give every image as view=image; remove ${request.images.join(' ')} or add it to --views.` };
    }
    if (!model.views) {
      return {
        ok: false,
        message:
          model.images.max > 1
            ? `${model.label} takes its images in order, not by view: use --together ${'<images...>'} instead of --views.`
            : `${model.label} makes a model from one image; --views needs a model that takes named views (${multiImageIds(catalog, true)}).`,
      };
    }
    const parsed = parseViewsSpec(request.views);
    if (!parsed.ok) return parsed;
    const problem = inputSetProblem(model, parsed.inputs.map((input) => input.role));
    return problem ? { ok: false, message: problem } : parsed;
  }
  if (model.views) {
    return { ok: false, message: `${model.label} takes named views: use --views ${model.views[0]}=a.jpg,${model.views[1] ?? model.views[0]}=b.jpg instead of --together.` };
  }
  if (model.images.max <= 1) {
    return {
      ok: false,
      message: `${model.label} makes a model from one image; --together needs a multi-image model: --model ${multiImageIds(catalog, false)}.`,
    };
  }
  const inputs = request.images.map((path) => ({ path, role: null }));
  const problem = inputSetProblem(model, inputs.map(() => null));
  return problem ? { ok: false, message: problem } : { ok: true, inputs };
}
