// Writing a run's models to --out: a job's own file, the files images that joined it asked for, and a
// model reused for a photo made before - never over a file, and a file that cannot be written is said
// (the model stays in the library, with the command that writes it) while the run goes on.
import { basename, join } from 'node:path';
import { copyToFreePath } from '../core/auto-export';
import type { Engine } from '../core/engine';
import { errorMessage } from '../core/util/errors';
import { makeOutputFolder } from './out-dir';
import type { Reporter } from './output';
import { shellWord } from './shell-word';
import { setOutputName, writeJobOutput, writeJoinedOutput } from './write-output';
import { nameWithoutExtension } from '../shared/name-from-file';

export interface RunOutputs {
  /** Models made (and paid for) whose file could not be written to --out. */
  readonly writeFailures: { input: string; message: string }[];
  /**
   * The job's own file (into the --out it was made with, once over every run following it), and the
   * files images that joined it asked for (another name, or another --out than the run that made the
   * job): joined, they were not paid for again, but they were asked for. They are kept with the job,
   * so a convert writes its own and `resume` writes every one (the run that asked may have been stopped).
   */
  writeOutputs(id: string, modelId: string, jobInput: string, src: string): Promise<{ input: string; file: string }[]>;
  /** A model made before with the same settings, copied to `out` under the photo's (or set's) name. */
  copyReused(input: string, modelId: string, src: string, out: string, setNames: readonly string[] | null): Promise<string | null>;
}

export interface OutputsContext {
  engine: Engine;
  reporter: Reporter;
  json: boolean;
  /** convert's --out (its own jobs' and joined images' files go there only); null for resume. */
  ownOut: string | null;
  /** Where a job with no --out of its own is written. */
  defaultOut: string;
  /** This run's images that joined a job, by job id. */
  joinedNames: ReadonlyMap<string, string[]>;
  /** Each failure is also one of the run's problems. */
  problems: { input: string; message: string }[];
}

export function runOutputs({ engine, reporter, json, ownOut, defaultOut, joinedNames, problems }: OutputsContext): RunOutputs {
  const writeFailures: { input: string; message: string }[] = [];
  const writeOrSay = async (input: string, modelId: string, dir: string, write: () => Promise<string | null>): Promise<string | null> => {
    try {
      return await write();
    } catch (error) {
      const file = join(dir, `${nameWithoutExtension(input)}.glb`);
      const cause = errorMessage(error).trim();
      const message =
        `The model was made but could not be written to ${dir}: ${/[.!?]$/.test(cause) ? cause : `${cause}.`} ` +
        `It is in the library (model ${modelId}); once that is fixed, \`image2model export ${modelId} ${shellWord(file)}\` writes it.`;
      writeFailures.push({ input, message });
      problems.push({ input, message });
      reporter.note({ code: 'write_failed', input, modelId, message });
      return null;
    }
  };

  const writeOutputs = async (id: string, modelId: string, jobInput: string, src: string) => {
    // A set's model is named after what its photos share, else its first photo (not its "a and 2 more").
    const fileName = setOutputName(engine.getJob(id)?.inputs?.map((input) => input.name)) ?? jobInput;
    const files: { input: string; file: string }[] = [];
    const jobOut = engine.jobOutputDir(id);
    if (ownOut === null || jobOut === null || jobOut === ownOut) {
      // The folder given when the job was created wins (resume writes where convert meant to).
      const outDir = jobOut ?? defaultOut;
      // Another run following this job (a second `resume`) may have written it already: once is enough.
      const file = await writeOrSay(jobInput, modelId, outDir, async () => {
        await makeOutputFolder(outDir, json);
        return writeJobOutput(engine, id, src, { dir: outDir, name: fileName });
      });
      if (file) files.push({ input: jobInput, file });
    }
    const mine = new Set((joinedNames.get(id) ?? []).flatMap((name) => [name, basename(name)]));
    for (const output of engine.joinedOutputs(id)) {
      if (ownOut !== null && (output.dir !== ownOut || !mine.has(output.name))) continue; // another run's
      const file = await writeOrSay(output.name, modelId, output.dir, async () => {
        await makeOutputFolder(output.dir, json);
        return writeJoinedOutput(engine, id, output, src, { dir: output.dir, name: fileName === jobInput ? output.name : fileName });
      });
      if (file) files.push({ input: output.name, file });
    }
    return files;
  };

  // `photo.jpg` -> `<out>/photo.glb`, or `photo-2.glb`...: never over a file (another export's, made meanwhile).
  const copyReused = (input: string, modelId: string, src: string, out: string, setNames: readonly string[] | null) =>
    writeOrSay(input, modelId, out, async () => {
      await makeOutputFolder(out, json);
      const setName = setNames ? setOutputName(setNames) : null;
      return copyToFreePath(src, out, setName ? setName.slice(0, -'.glb'.length) : nameWithoutExtension(input));
    });

  return { writeFailures, writeOutputs, copyReused };
}
