// How the CLI reports: one JSON object a line (--json), progress bars on a terminal, or plain lines.
import { SingleBar, MultiBar, Presets } from 'cli-progress';
import type { Job } from '../shared/domain';
import { cutText } from '../shared/text-cut';
import { cliJobError } from './job-advice';
import { terminalText } from './terminal-text';

export interface JobView {
  id: string;
  input: string;
  /** A multi-image job's images in order, with their views (null for an ordered set). */
  inputs?: { name: string; role: string | null }[];
}

/**
 * What a note is about, for scripts reading --json (the message is for people and may be reworded):
 * interrupted - the run was stopped (Ctrl-C, SIGTERM), its jobs kept for `resume`;
 * blocked - the queue holds jobs (no key, key refused, spending cap, disk error);
 * offline / online / disk_slow - the queue's state changed; reused - an image already had a model;
 * download_again_failed - `resume --download-again` could not fetch a job again;
 * nothing_to_resume - a resume found no job to finish; write_failed - a model was made (it is in the
 * library) but its file in the output folder could not be written.
 */
export type NoteCode = 'interrupted' | 'blocked' | 'offline' | 'online' | 'disk_slow' | 'reused' | 'download_again_failed' | 'nothing_to_resume' | 'write_failed' | 'may_be_charged';

export interface Note {
  code: NoteCode;
  message: string;
  /** The input it is about, when it is about one. */
  input?: string;
  /** The library model it is about (reused, write_failed). */
  modelId?: string;
}

export interface Reporter {
  rejected(input: string, reason: string): void;
  note(note: Note): void;
  job(view: JobView, job: Job): void;
  summary(s: { succeeded: number; failed: number; needsAttention: number; pending: number; outputs: { input: string; file: string }[]; problems: { input: string; message: string }[] }): void;
  close(): void;
}

const stateLabel = (job: Job) => (job.state === 'queued' && job.queuePosition !== null ? `queued #${job.queuePosition + 1}` : job.state.replace('_', ' '));

export function jsonReporter(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Reporter {
  const last = new Map<string, string>();
  return {
    rejected: (input, reason) => write(JSON.stringify({ type: 'rejected', input, reason })),
    // Notes are data too: a script learns that the run was interrupted, or a file not written.
    note: ({ code, message, input, modelId }) => write(JSON.stringify({ type: 'note', code, message, ...(input !== undefined ? { input } : {}), ...(modelId !== undefined ? { modelId } : {}) })),
    job(view, job) {
      const line = JSON.stringify({
        type: 'job',
        id: job.id,
        input: view.input,
        ...(view.inputs ? { inputs: view.inputs } : {}),
        state: job.state,
        progress: Math.round(job.progress),
        queuePosition: job.queuePosition,
        message: cliJobError(job) ?? job.message,
      });
      if (last.get(job.id) === line) return; // Only changes.
      last.set(job.id, line);
      write(line);
    },
    summary: ({ succeeded, failed, needsAttention, pending, outputs }) => write(JSON.stringify({ type: 'summary', succeeded, failed, needsAttention, pending, outputs })),
    close: () => {},
  };
}

export function terminalReporter(stream: NodeJS.WriteStream = process.stdout): Reporter {
  const multi = new MultiBar(
    { format: ' {bar} {percentage}% | {name} | {status}', hideCursor: true, clearOnComplete: false, stopOnComplete: false, stream, barsize: 24 },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  return {
    rejected: (input, reason) => multi.log(`${terminalText(`Skipped ${input}: ${reason}`)}\n`),
    note: ({ message }) => multi.log(`${terminalText(message)}\n`),
    job(view, job) {
      const error = cliJobError(job);
      const status = terminalText(error ? `${stateLabel(job)}: ${error}` : [stateLabel(job), job.message].filter(Boolean).join(' - '));
      const name = terminalText(view.input);
      let bar = bars.get(job.id);
      if (!bar) {
        bar = multi.create(100, 0, { name, status });
        bars.set(job.id, bar);
      }
      bar.update(Math.round(job.progress), { name, status: cutText(status, 70) });
    },
    summary(s) {
      multi.stop();
      printPlainSummary(s, (l) => stream.write(terminalText(l) + '\n'));
    },
    close: () => multi.stop(),
  };
}

export function plainReporter(writeLine: (line: string) => void = (l) => process.stdout.write(l + '\n')): Reporter {
  const write = (line: string) => writeLine(terminalText(line));
  const lastState = new Map<string, string>();
  return {
    rejected: (input, reason) => write(`Skipped ${input}: ${reason}`),
    note: ({ message }) => write(message),
    job(view, job) {
      if (lastState.get(job.id) === job.state) return;
      lastState.set(job.id, job.state);
      const error = cliJobError(job);
      write(`${view.input}: ${stateLabel(job)}${error ? ` - ${error}` : ''}`);
    },
    summary: (s) => printPlainSummary(s, write),
    close: () => {},
  };
}

function printPlainSummary(
  s: { succeeded: number; failed: number; needsAttention: number; pending: number; outputs: { input: string; file: string }[]; problems: { input: string; message: string }[] },
  write: (line: string) => void,
) {
  for (const output of s.outputs) write(`✔ ${output.input} -> ${output.file}`);
  for (const problem of s.problems) write(`✘ ${problem.input}: ${problem.message}`);
  write(`${s.succeeded} succeeded, ${s.failed} failed, ${s.needsAttention} need attention${s.pending ? `, ${s.pending} not finished` : ''}`);
}
