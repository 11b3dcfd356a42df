// A waiting job's generator menu showed, for the generator the job has, that generator's list price
// loaded with the window (no options, maybe from before FAL's prices arrived) - not the job's own
// estimate, which is what the spend counts once it is sent and which the core now prices again when
// FAL's prices arrive. The menu shows the job's estimate for its own generator.
import { expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import type { ModelSummary } from '../../src/shared/models';
import { switchPrice } from '../../src/renderer/src/features/queue/switch-model';

const model = (id: string, high: number) => ({ id, priceByPreset: { draft: 0.1, standard: 0.2, high } }) as unknown as ModelSummary;

it("the job's own generator shows the job's estimate; the others their list price", () => {
  const job = { endpoint: 'tripo', preset: 'high', estimatedCostUsd: 1.8 } as Job;
  expect(switchPrice(job, model('tripo', 0.4))).toBe(1.8);
  expect(switchPrice(job, model('trellis', 0.02))).toBe(0.02);
  // No estimate known: the list price.
  expect(switchPrice({ ...job, estimatedCostUsd: null }, model('tripo', 0.4))).toBe(0.4);
});
