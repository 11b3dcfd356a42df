// Adding a multi-image job: check the set against the model (views, counts), prepare every image
// with the same checks as one-image jobs, skip the set when a model was already made from the same
// images in the same views with the same settings (unless forced), and insert one job with all its
// images in one transaction. A set with any unusable image adds nothing: each refusal is listed.
import { randomUUID } from 'node:crypto';
import { refuseWhileFolderGone } from './data-folder';
import { basename } from 'node:path';
import type { AddJobsResult, InputSetMember } from '../../shared/contract';
import type { Preset } from '../../shared/domain';
import { setDisplayName } from '../../shared/input-roles';
import { AppError } from '../../shared/result';
import type { PrepareResult } from '../images';
import { modelKeysOf } from '../library/store';
import { DEFAULT_MODEL_ID, getModel, validateOptions } from '../models/catalog';
import { inputSetProblem } from '../models/input-set';
import { toStoredPath } from '../paths';
import { jobInputsJson } from '../queue/job-inputs-json';
import { toJob, type NewJob } from '../queue/store';
import type { AddJobsOptions } from '../services-types';
import { limitsNow, type IntakeDeps } from './intake';
import { databaseFailureInWords, syncNewJobs } from './intake-failures';
import { canonicalJson } from '../util/canonical-json';
import { mapLimit } from '../util/map-limit';
import { heldJobKey, inputSetKey, type JobInput } from './job-inputs';

const labelOf = (member: InputSetMember) => (member.item.kind === 'path' ? member.item.path : member.item.name);

/**
 * The same photo twice in one set (dropped twice, or a copy under another name) adds no view of the
 * object: the model would be made - and paid for - from fewer sides than it seems. Each repeat is
 * refused, naming the photo it repeats.
 */
function repeatedPhotos(prepared: readonly PrepareResult[], members: readonly InputSetMember[]): AddJobsResult['rejected'] {
  const firstWith = new Map<string, number>();
  const repeats: AddJobsResult['rejected'] = [];
  prepared.forEach((result, i) => {
    if (!result.ok) return;
    const first = firstWith.get(result.input.sha256);
    if (first === undefined) return void firstWith.set(result.input.sha256, i);
    const name = (index: number) => basename(labelOf(members[index]!));
    repeats.push({
      input: labelOf(members[i]!),
      reason: `${name(i)} is the same photo as ${name(first)}: each image of one model should show the object from another side. Remove one of them.`,
    });
  });
  return repeats;
}

/** The set's photos a paid generator would make a poorer model from (too small, animated), each with why. */
function heldPhotos(prepared: readonly PrepareResult[], members: readonly InputSetMember[], jobKey: string): NonNullable<AddJobsResult['held']> {
  return prepared.flatMap((result, i) => (result.ok && result.input.concerns.length > 0 ? [{ input: labelOf(members[i]!), text: result.input.concerns.join(' '), jobKey }] : []));
}

export async function addInputSet(deps: IntakeDeps, members: InputSetMember[], opts: AddJobsOptions): Promise<AddJobsResult> {
  const endpoint = opts.endpoint ?? DEFAULT_MODEL_ID;
  const model = getModel(endpoint);
  if (!model) throw new AppError('invalid_input', `Unknown model "${endpoint}".`);
  const roles = members.map((member) => member.role ?? null);
  const problem = inputSetProblem(model, roles);
  if (problem) throw new AppError('invalid_input', problem);
  const preset: Preset = opts.preset ?? 'standard';
  const validated = validateOptions(model, opts.options ?? {});
  if (!validated.ok) throw new AppError('invalid_input', validated.message);
  const optionsJson = canonicalJson(validated.options);
  refuseWhileFolderGone(deps.dataDir, deps.dataFolderGone);
  const { DEFAULT_INPUT_LIMITS, prepareInput, prepareInputBytes } = await import('../images');
  const limits = limitsNow(deps.inputLimits) ?? DEFAULT_INPUT_LIMITS;

  const prepared = await mapLimit(members, 3, ({ item }): Promise<PrepareResult> =>
    item.kind === 'path' ? prepareInput(item.path, deps.inputsDir, limits, deps.jpegEncoding) : prepareInputBytes(item.bytes, item.name, deps.inputsDir, limits, deps.jpegEncoding),
  );
  // Gone while the images were prepared: the disk refused them (not the images' fault).
  refuseWhileFolderGone(deps.dataDir, deps.dataFolderGone);
  const rejected = prepared.flatMap((result, i) => (result.ok ? [] : [{ input: labelOf(members[i]!), reason: result.reason }]));
  rejected.push(...repeatedPhotos(prepared, members));
  if (rejected.length > 0) return { added: [], rejected, duplicates: [] };

  const inputs: Omit<JobInput, 'url'>[] = prepared.map((result, i) => {
    if (!result.ok) throw new Error('unreachable: rejected inputs returned above');
    const { input } = result;
    return { position: i, role: roles[i]!, name: input.originalName, path: toStoredPath(deps.dataDir, input.path), sha256: input.sha256, mime: input.mime };
  });
  const name = setDisplayName(inputs.map((input) => input.name));
  const setKey = inputSetKey(inputs, model.views?.[0] ?? null);
  if (!opts.force) {
    // A set is known by its prepared images only (no original's hash is kept for sets).
    const existing = deps.library.findByParams(modelKeysOf(setKey, null, endpoint, preset, optionsJson));
    if (existing) return { added: [], rejected: [], duplicates: [{ input: name, modelId: existing.id }] };
  }

  // The warnings name their image already ("x.jpg is only 64 x 64 px...").
  const warnings = prepared.flatMap((result) => (result.ok ? result.input.warnings : []));
  const first = inputs[0]!;
  const job: NewJob = {
    id: randomUUID(),
    endpoint,
    provider: model.provider,
    preset,
    optionsJson,
    // The set's name; its images are listed in inputs_json and job_inputs.
    inputName: name,
    inputPath: first.path,
    inputSha256: setKey,
    inputMime: first.mime,
    maxAttempts: deps.maxAttempts,
    createdAt: deps.now(),
    estimatedCostUsd: deps.estimateCostUsd ? deps.estimateCostUsd(model, preset, validated.options) : model.estimateCostUsd(preset, validated.options),
    message: warnings.length > 0 ? warnings.join(' ') : 'Waiting to start',
    inputsJson: inputs.length > 1 ? jobInputsJson(inputs) : null,
    outputDir: opts.outputDir ?? null,
  };
  // The check before paying (intake.ts): a set with a photo a paid generator would make a poorer model
  // from is not sent until the user says so - unless the same set is on its way (sent anyway): joined.
  const held = opts.holdConcerns === true && model.provider !== 'offline' ? heldPhotos(prepared, members, heldJobKey(`set:${setKey}`, endpoint, preset, optionsJson)) : [];
  const joinOutput = opts.outputDir ? { dir: opts.outputDir, name } : null;
  const outcome = held.length > 0 ? (opts.force ? null : deps.store.joinOnly([{ job, mayJoin: true, joinOutput }])[0]) : insertSet(deps, job, inputs, name, opts);
  if (!outcome) return { added: [], rejected: [], duplicates: [], held };
  // The same set still on its way (see intake.ts) is joined rather than paid for again.
  const { kind, row, revived } = outcome;
  if (kind === 'added' || revived) deps.onAdded([row]);
  // Answered once the job (or the output kept with the one it joined) would survive a power cut.
  await syncNewJobs(deps.store, 1);
  const concerns = prepared.flatMap((result) => (result.ok ? result.input.concerns.map((text) => ({ input: result.input.originalName, text })) : []));
  const told = concerns.length > 0 ? { warnings: concerns } : {};
  if (kind === 'joined') return { added: [toJob(row)], rejected: [], duplicates: [], joined: [{ input: name, jobId: row.id }], ...told };
  return { added: [toJob(row)], rejected: [], duplicates: [], ...told };
}

/**
 * The set's one insert (the job and its images, one transaction). A failure adds nothing: the answer
 * says so, why, and that adding the set again is safe - not "Something went wrong inside the app".
 */
function insertSet(deps: IntakeDeps, job: NewJob, inputs: Omit<JobInput, 'url'>[], name: string, opts: AddJobsOptions) {
  try {
    return deps.store.addOrJoin([{ job, mayJoin: !opts.force, joinOutput: opts.outputDir ? { dir: opts.outputDir, name } : null }], (added) => deps.inputs.insert(added.id, inputs))[0]!;
  } catch (error) {
    const { why, first } = databaseFailureInWords(error);
    throw new AppError('io_error', `The set of ${inputs.length} photos (${name}) was not added: ${why}. Nothing was added, so adding it again is safe. ${first} add the set again.`, { cause: error });
  }
}
