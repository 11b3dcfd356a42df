// Progress that only moves forward and friendly, deduplicated log lines, for one job at a time.
// Bands: preparing 0-10, submitted 10-15, waiting in FAL's queue 15-20, running 20-90 (log stages
// and elapsed time), downloading 90-99, done 100.
import { shorten } from '../../shared/text-cut';

export const PROGRESS = Object.freeze({
  preparing: 0,
  uploading: 2,
  uploaded: 10,
  submitted: 15,
  queuedMax: 19,
  running: 20,
  runningMax: 89,
  downloading: 90,
  validating: 95,
  storing: 98,
  downloadingMax: 99,
  done: 100,
});

interface Stage {
  pattern: RegExp;
  text: string;
  /** Running progress reached when this stage is seen. */
  floor: number;
}

/** FAL/model log wording -> the line shown to the user. First match wins. */
const STAGES: readonly Stage[] = [
  { pattern: /initiali[sz]ing( the)? model|loading( the)? model|model (is )?starting/i, text: 'Starting 3D model generation...', floor: 25 },
  { pattern: /(pre)?process(ing)?( the| input)? image|remov(e|ing) background/i, text: 'Processing image', floor: 35 },
  { pattern: /generat(e|ing)( the| 3d)? (mesh|geometry|shape|model)|mesh generation|reconstruct/i, text: 'Generating mesh', floor: 50 },
  { pattern: /(apply(ing)?|generat(e|ing)|bak(e|ing)) textures?|textur(e|ing)/i, text: 'Applying textures', floor: 70 },
  { pattern: /optimi[sz](e|ing)( the)? (geometry|mesh)|simplif|decimat/i, text: 'Optimizing geometry', floor: 80 },
  { pattern: /finali[sz](e|ing)|export(ing)? (the )?(glb|model|output)/i, text: 'Finalizing output', floor: 85 },
  { pattern: /upload(ing|ed)? (complete|completed|done|finished)|upload complete/i, text: 'Upload complete', floor: 88 },
];

/** A shown log line's length in characters as people count them, and in UTF-16 units (a guard for huge lines). */
const MAX_LINE = 200;
const MAX_LINE_UNITS = 4 * MAX_LINE;

/** The friendly line for one log message, and the progress floor it implies (null = unknown line). */
export function friendlyLogLine(message: string): { text: string; floor: number | null } | null {
  const trimmed = message.replace(/\s+/g, ' ').trim();
  if (!trimmed) return null;
  for (const stage of STAGES) if (stage.pattern.test(trimmed)) return { text: stage.text, floor: stage.floor };
  return { text: shorten(trimmed, MAX_LINE, '…', MAX_LINE_UNITS), floor: null };
}

export interface FalLogLike {
  message?: unknown;
  timestamp?: unknown;
}

/** A model's own lines kept per job (a progress bar redrawn as "step 1/5000"... must not fill the journal). */
export const MAX_MODEL_LINES = 200;
export const MODEL_LINES_CUT = `Further lines from the model are not kept (more than ${MAX_MODEL_LINES})`;

/**
 * Turns FAL log batches into new friendly lines. Polling returns all logs every time and the stream
 * sends them in pieces, so lines are deduplicated by their text: each line is shown once per job. The
 * model's own (non-stage) lines stop at MAX_MODEL_LINES, said once; stage lines always come through.
 */
export class LogLines {
  private readonly seenLines = new Set<string>();
  private modelLines = 0;
  private floorReached = 0;

  /** New friendly lines in order; updates `floor`. */
  accept(logs: readonly FalLogLike[] | undefined): string[] {
    const out: string[] = [];
    for (const entry of logs ?? []) {
      if (typeof entry?.message !== 'string') continue;
      const line = friendlyLogLine(entry.message);
      if (!line) continue;
      if (line.floor !== null) this.floorReached = Math.max(this.floorReached, line.floor);
      if (this.seenLines.has(line.text)) continue;
      if (line.floor === null && this.modelLines >= MAX_MODEL_LINES) {
        if (this.modelLines++ === MAX_MODEL_LINES) out.push(MODEL_LINES_CUT);
        continue;
      }
      if (line.floor === null) this.modelLines++;
      this.seenLines.add(line.text);
      out.push(line.text);
    }
    return out;
  }

  /** Highest running-stage floor seen so far (0 when none). */
  get floor(): number {
    return this.floorReached;
  }
}

/** While waiting in FAL's queue: 15 at the back, creeping to 19 near the front. */
export function queuedProgress(position: number | null | undefined): number {
  const pos = typeof position === 'number' && position >= 0 ? position : 4;
  return PROGRESS.submitted + Math.max(0, 4 - Math.min(pos, 4));
}

/**
 * While running: the larger of the log stage's floor and a time-based curve that approaches 89
 * (63% of the way after `expectedMs`), so progress keeps moving even when a model logs nothing.
 */
export function runningProgress(elapsedMs: number, expectedMs: number, stageFloor: number): number {
  const span = PROGRESS.runningMax - PROGRESS.running;
  const byTime = PROGRESS.running + span * (1 - Math.exp(-Math.max(0, elapsedMs) / Math.max(1, expectedMs)));
  return Math.min(PROGRESS.runningMax, Math.max(PROGRESS.running, stageFloor, Math.floor(byTime * 10) / 10));
}
