// "Try a sample": the page names a sample by id (checked by zod against the catalog); the file is
// found here, in the folder the app ships them in, and goes through the same intake as a photo the
// user dropped (checks, preparation, duplicate detection, estimate).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { AppError } from '../../shared/result';
import { SAMPLES, sampleFileName, sampleJobName, type SampleId } from '../../shared/samples';
import type { Preset } from '../../shared/domain';
import type { EngineApi } from '../services-types';

export interface SampleDeps {
  engine: EngineApi;
  /** The generator and quality a job gets when the page names none (the same rule as jobs:add). */
  jobDefaults(opts: { endpoint?: string; preset?: Preset }): { endpoint: string; preset: Preset };
  /** The folder holding <id>.jpg for every sample; null when this build ships none. */
  samplesDir: string | null;
}

/** Absolute path of a sample's file, or null when it is not there. The id is from the catalog. */
export function sampleFilePath(samplesDir: string | null, id: SampleId): string | null {
  if (!samplesDir) return null;
  const path = join(samplesDir, sampleFileName(id));
  return existsSync(path) ? path : null;
}

export function sampleHandlers({ engine, jobDefaults, samplesDir }: SampleDeps): Pick<Handlers, 'samples:list' | 'samples:add'> {
  return {
    'samples:list': async () => SAMPLES.filter((sample) => sampleFilePath(samplesDir, sample.id) !== null),
    'samples:add': async ({ id, ...opts }) => {
      const path = sampleFilePath(samplesDir, id);
      const bytes = path ? await readFile(path).catch(() => null) : null;
      if (!bytes) throw new AppError('not_found', 'The sample photos are missing from this installation.');
      return engine.addImages([{ kind: 'bytes', name: sampleJobName(id), bytes: new Uint8Array(bytes) }], jobDefaults(opts));
    },
  };
}
