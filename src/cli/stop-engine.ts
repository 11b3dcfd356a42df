// Stopping the engine at the end of a run. A submit on its way to FAL is waited for (up to the
// request timeout): its answer holds the request id that lets the job be followed instead of sent,
// and paid for, twice. That wait used to be silent after the summary; now the user is told what it
// waits for and that a second Ctrl-C stops at once, leaving the job as needing attention.
import type { Job } from '../shared/domain';
import { DEFAULT_TIMING, type Engine } from '../core/engine';
import { terminalText } from './terminal-text';

/** The exit code of a run whose wait was cut, as a shell reports the signal that cut it (128 + its number). */
const EXIT_STOPPED_AT_ONCE = { SIGINT: 130, SIGTERM: 143 } as const;
type CuttingSignal = keyof typeof EXIT_STOPPED_AT_ONCE;

export interface StopIo {
  /** One line for the person at the terminal (stderr: stdout may be --json). */
  say: (line: string) => void;
  exit: (code: number) => void;
  /** Where the second Ctrl-C (or SIGTERM) comes from. */
  signals: Pick<NodeJS.Process, 'once' | 'off'>;
}

const defaultIo: StopIo = {
  say: (line) => process.stderr.write(`${terminalText(line)}\n`),
  exit: (code) => process.exit(code),
  signals: process,
};

function names(jobs: readonly Job[]): string {
  const shown = jobs.slice(0, 3).map((job) => job.inputName);
  return jobs.length > shown.length ? `${shown.join(', ')} and ${jobs.length - shown.length} more` : shown.join(', ');
}

export async function stopEngine(engine: Engine, io: StopIo = defaultIo): Promise<void> {
  const sending = engine.sendingNow();
  const stopped = engine.stop();
  if (sending.length === 0) return stopped;
  const seconds = Math.round(DEFAULT_TIMING.requestTimeoutMs / 1000);
  const stopNow = (signal: CuttingSignal) => {
    const setAside = engine.abandonNow();
    if (setAside.length > 0) {
      io.say(
        `Stopped without FAL's answer: ${names(setAside)} ${setAside.length === 1 ? 'needs' : 'need'} attention (FAL may have received and charged ` +
          `${setAside.length === 1 ? 'it' : 'them'}). Run \`image2model resume\` later: it asks FAL's records and picks up what FAL received, never sending it twice.`,
      );
    }
    io.exit(EXIT_STOPPED_AT_ONCE[signal]);
  };
  // Listening before saying so: a second Ctrl-C with no listener would end the process with no word.
  // (A hang-up does not cut the wait: run.ts keeps listening for SIGHUP until the engine stopped.)
  const onInt = () => stopNow('SIGINT');
  const onTerm = () => stopNow('SIGTERM');
  io.signals.once('SIGINT', onInt);
  io.signals.once('SIGTERM', onTerm);
  io.say(
    `Waiting for FAL's answer to sending ${names(sending)} (up to ${seconds} s): it names the request to follow, ` +
      'so the job is never sent, or paid for, twice. Press Ctrl-C again to stop now: the job is then left as ' +
      'needing attention (FAL may have received it), and `image2model resume` settles it from FAL\'s records.',
  );
  try {
    await stopped;
  } finally {
    io.signals.off('SIGINT', onInt);
    io.signals.off('SIGTERM', onTerm);
  }
}
