// A job row as intake makes it (queue/store insert), for tests that work on the store directly.
import { randomUUID } from 'node:crypto';
import type { NewJob } from '../../src/core/queue/store';

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: randomUUID(),
    endpoint: 'tripo3d/tripo/v2.5/image-to-3d',
    provider: 'fal',
    preset: 'standard',
    optionsJson: '{}',
    inputName: 'cat.png',
    inputPath: 'inputs/abc.png',
    inputSha256: 'abc',
    inputMime: 'image/png',
    maxAttempts: 5,
    createdAt: 1000,
    estimatedCostUsd: 0.3,
    ...overrides,
  };
}
