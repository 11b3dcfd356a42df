// The engine's timing in the children that kill tests SIGKILL again and again (crash, app lives): short
// leases, polls and back-offs, so a job a killed life held is taken up again within a second or so.
import type { createEngine } from '../../src/core/engine';

type EngineOptions = Parameters<typeof createEngine>[0];

export const FAST_ENGINE: Pick<EngineOptions, 'concurrency' | 'maxAttempts' | 'backoff'> & { timing: NonNullable<EngineOptions['timing']> } = {
  concurrency: 4,
  maxAttempts: 5,
  backoff: { baseMs: 20, capMs: 200 },
  timing: {
    leaseMs: 5_000,
    heartbeatMs: 1_000,
    schedulerPollMs: 50,
    statusPollMs: 30,
    streamIdleMs: 2_000,
    requestTimeoutMs: 5_000,
    downloadTimeoutMs: 10_000,
    probeIntervalMs: 100,
  },
};
