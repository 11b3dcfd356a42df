// Following a job FAL has accepted, until FAL says it is done: status by stream (else by polling),
// its queue position, its log lines and a progress estimate while it runs (fal-steps.ts sends the job;
// result-steps.ts fetches what it made).
import type { FalClient } from '@fal-ai/client';
import { followUntilCompleted, type FalStatus } from '../fal/follow';
import { LogLines, PROGRESS, queuedProgress, runningProgress } from '../fal/progress';
import { errorMessage } from '../util/errors';
import { falQueueMessage, falQueuePosition } from '../queue/fal-queue-message';
import type { RunContext } from './run-context';
import { step } from './run-errors';

export class FalFollower {
  private runningSince: number | null = null;
  private readonly lines = new LogLines();

  constructor(private readonly ctx: RunContext) {}

  private get row() {
    return this.ctx.writer.row;
  }

  async follow(fal: FalClient, requestId: string, signal: AbortSignal): Promise<void> {
    const { policy, now, logger, redact } = this.ctx.deps;
    const deadline = (this.row.submittedAt ?? now()) + policy.followTimeoutMs;
    const ticker = setInterval(() => this.tickProgress(), policy.progressTickMs);
    try {
      await step('status', () =>
        followUntilCompleted({
          fal,
          endpoint: this.row.endpoint,
          requestId,
          signal,
          deadline,
          now,
          pollIntervalMs: policy.pollIntervalMs,
          streamIdleMs: policy.streamIdleMs,
          stream: policy.useStream,
          onStatus: (status) => this.onStatus(status),
          onStreamFailed: (error) => logger.info(`job ${this.row.id}: status stream failed, polling instead`, redact(errorMessage(error))),
        }),
      );
    } finally {
      clearInterval(ticker);
    }
  }

  private onStatus(status: FalStatus): void {
    const { deps, writer } = this.ctx;
    deps.signals.online();
    deps.rateLimitHits.delete(this.row.id);
    if (status.status === 'IN_QUEUE') {
      const position = falQueuePosition(status.queue_position);
      // IN_QUEUE is waiting, whatever the place: queue_position counts from 0 (0: next to start). The
      // run starts only with IN_PROGRESS; "Starting at FAL" for position 0 said more than FAL did.
      const message = falQueueMessage(position);
      if (this.row.state === 'submitted' && this.row.queuePosition === position && this.row.message === message) return;
      writer.soft({ queuePosition: position, progress: queuedProgress(position), message });
      return;
    }
    // IN_PROGRESS or COMPLETED: the model runs (or ran).
    this.runningSince ??= deps.now();
    if (this.row.state === 'submitted') {
      writer.softState({ state: 'running', queuePosition: null, progress: PROGRESS.running, message: 'Generating the model' });
    }
    // Redacted before LogLines shortens a line: a key cut in two no longer matches as a whole.
    const logs = status.logs?.map((log) => (typeof log.message === 'string' ? { ...log, message: deps.redact(log.message) } : log));
    for (const line of this.lines.accept(logs)) writer.soft({ message: line }, line);
    this.tickProgress();
  }

  private tickProgress(): void {
    if (this.runningSince === null || this.row.state !== 'running') return;
    const { deps, writer } = this.ctx;
    const next = runningProgress(deps.now() - this.runningSince, deps.policy.expectedRunMs, this.lines.floor);
    if (next >= this.row.progress + 0.5) writer.soft({ progress: next });
  }
}
