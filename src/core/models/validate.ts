// User overrides -> validated options or one plain message. The schemas (see fields.ts) already
// word each issue for a person; this only collects them.
import type { ModelDefinition } from './types';

export type ValidateOptionsResult = { ok: true; options: Record<string, unknown> } | { ok: false; message: string };

export function validateOptions(model: ModelDefinition, options: unknown): ValidateOptionsResult {
  // "No overrides" arrives as undefined from the CLI and null from stored jobs.
  const parsed = model.optionsSchema.safeParse(options ?? {});
  if (parsed.success) return { ok: true, options: parsed.data };
  const messages: string[] = [];
  for (const issue of parsed.error.issues) {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '';
    // A field can fail several checks with the same wording (1e20: not safe, too big): say it once.
    const text = /[.!?]$/.test(issue.message) ? issue.message : `${where ? `${where}: ` : ''}${issue.message}.`;
    if (!messages.includes(text)) messages.push(text);
  }
  return { ok: false, message: messages.join(' ') };
}
