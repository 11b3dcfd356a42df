// `npm run fake-fal -- [--port 8787] [--processing-ms 300] ...`: run the fake FAL server alone
// (for the dev app or e2e runs). Prints one line with its URL; stops on SIGINT/SIGTERM.
// Script it from another process through http://.../_fake/* (see control.ts).
import { Command, InvalidArgumentError } from 'commander';
import { startFakeFal } from './server';

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const program = new Command('fake-fal')
  .description('Local stand-in for FAL (queue.fal.run, rest.fal.ai storage, CDN) for tests and development')
  .option('--port <n>', 'port to listen on (0 = random)', nonNegativeInt, 0)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--latency <ms>', 'delay added to every answer', nonNegativeInt, 0)
  .option('--processing-ms <ms>', 'time a job spends IN_PROGRESS', nonNegativeInt, 300)
  .option('--concurrency <n>', 'jobs running at once; the rest wait IN_QUEUE', nonNegativeInt, 2)
  .option('--keys <list>', 'comma-separated accepted API keys (default: any key of 10+ chars)')
  .option('--hold', 'keep jobs IN_PROGRESS until POST /_fake/complete/<id>', false)
  .parse();

const opts = program.opts<{
  port: number;
  host: string;
  latency: number;
  processingMs: number;
  concurrency: number;
  keys?: string;
  hold: boolean;
}>();

const fake = await startFakeFal({
  port: opts.port,
  host: opts.host,
  latencyMs: opts.latency,
  processingMs: opts.processingMs,
  concurrency: opts.concurrency,
  acceptedKeys: opts.keys?.split(',').map((k) => k.trim()).filter(Boolean),
  holdJobs: opts.hold,
});
console.log(`Fake FAL listening at ${fake.url}`);

const stop = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
