// Switching a waiting job to another generator (e.g. the offline Relief while no FAL key is set), so a
// job is never stuck: nothing has to be removed and added again. Only a job that never left for FAL
// may switch; one that was (or may have been) submitted keeps its generator, as FAL may charge for it.
import type { Job, Preset } from '../../shared/domain';
import { AppError } from '../../shared/result';
import { writeTx } from '../db/write';
import { getModel, validateOptions } from '../models/catalog';
import { inputSetProblem } from '../models/input-set';
import type { ModelDefinition } from '../models/types';
import { toJob, type JobRow, type JobStore } from '../queue/store';
import { canonicalJson } from '../util/canonical-json';
import { inputSetKey, type JobInputStore } from './job-inputs';

export interface SwitchModelOptions {
  endpoint: string;
  /** Default: the job's preset. */
  preset?: Preset;
}

export interface SwitchModelDeps {
  store: JobStore;
  inputs: JobInputStore;
  now: () => number;
  estimateCostUsd?: (model: ModelDefinition, preset: Preset, options: Record<string, unknown>) => number;
  jobChanged: (row: JobRow, immediate: boolean) => void;
  /** A job switched to another provider starts afresh, rate-limit count included. */
  forgetRateLimits: (id: string) => void;
  wake: () => void;
}

const ALREADY_SENT = 'This job was already sent to FAL, so it keeps its generator (FAL may charge for it). Cancel it or let it finish.';

const madeAlready = (label: string, preset: Preset) =>
  new AppError(
    'conflict',
    `This photo was already made (or is being made) with ${label} (${preset}) as another job: switching this one to it would pay for a second model. Open that model in the library, or choose another generator or preset; to make it again anyway, add the photo again and choose Make again anyway.`,
  );

function refusal(row: JobRow): AppError | null {
  if (row.falRequestId !== null || row.submitStartedAt !== null || row.submittedAt !== null) return new AppError('conflict', ALREADY_SENT);
  if (row.state !== 'queued') return new AppError('conflict', `Only a job that is waiting can switch generator; this one is ${row.state.replace('_', ' ')}.`);
  if (row.cancelRequested) return new AppError('conflict', 'This job is being canceled.');
  return null;
}

export function createModelSwitch(deps: SwitchModelDeps): (id: string, opts: SwitchModelOptions) => Job {
  return (id, opts) => {
    const row = deps.store.get(id);
    if (!row) throw new AppError('not_found', 'That job was not found. It may have been removed.');
    const refused = refusal(row);
    if (refused) throw refused;
    const model = getModel(opts.endpoint);
    if (!model) throw new AppError('invalid_input', `Unknown model "${opts.endpoint}".`);
    if (model.id === row.endpoint && (opts.preset ?? row.preset) === row.preset) return toJob(row);

    const inputs = deps.inputs.list(id);
    const problem = inputSetProblem(model, inputs.length > 0 ? inputs.map((input) => input.role) : [null]);
    if (problem) throw new AppError('invalid_input', `This job cannot switch to ${model.label}: ${problem}`);
    const preset = opts.preset ?? row.preset;
    // Options belong to one model: kept for the same model, otherwise its presets decide.
    const validated = validateOptions(model, model.id === row.endpoint ? (JSON.parse(row.optionsJson) as Record<string, unknown>) : {});
    if (!validated.ok) throw new AppError('invalid_input', validated.message);
    const estimate = deps.estimateCostUsd ? deps.estimateCostUsd(model, preset, validated.options) : model.estimateCostUsd(preset, validated.options);
    const before = getModel(row.endpoint)?.label ?? row.endpoint;

    // A wait (FAL's rate limit, the back-off after a failed try) and the attempts spent belong to the
    // provider, not to one model: FAL limits the account, so a job that stays on FAL keeps them, or
    // switching model would be a way round them. The offline generator never calls FAL, so a job
    // moved to it (or from it) starts afresh and may run at once.
    const keepWait = model.provider === row.provider;
    const switchNow = () => deps.store.switchModel(
      id,
      {
        endpoint: model.id,
        provider: model.provider,
        preset,
        optionsJson: canonicalJson(validated.options),
        // The "already made" key depends on the model's first view (see inputSetKey).
        inputSha256: inputs.length > 0 ? inputSetKey(inputs, model.views?.[0] ?? null) : row.inputSha256,
        estimatedCostUsd: estimate,
        message: `Switched to ${model.label}; waiting to start`,
      },
      deps.now(),
      `Generator changed from ${before} to ${model.label} (${preset})`,
    );
    // One transaction: no other process may claim the job between the switch and the wait restored.
    const next = writeTx(deps.store.db, () => {
      const waited = deps.store.get(id);
      const switched = switchNow();
      // Onto what another job made, is making or may be charged for (or a library model of): the same
      // model paid twice. Undone with the transaction; adding the photo again asks (Make again anyway).
      if (switched && switched.provider === 'fal' && deps.store.madeAgainElsewhere(switched)) throw madeAlready(model.label, preset);
      if (!switched || !waited || !keepWait) return switched;
      return deps.store.update(id, switched.fence, { attempts: waited.attempts, nextAttemptAt: waited.nextAttemptAt }, deps.now()) ?? switched;
    });
    if (!next) {
      const now = deps.store.get(id);
      throw (now && refusal(now)) ?? new AppError('conflict', 'The job changed meanwhile; try again.');
    }
    if (!keepWait) deps.forgetRateLimits(id);
    deps.jobChanged(next, true);
    deps.wake();
    return toJob(next);
  };
}
