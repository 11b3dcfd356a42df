// The sample photos that ship with the app ("Try a sample"). The page asks for a sample by id; the
// main process owns the files (resources/samples/<id>.jpg, drawn by scripts/make-samples.mjs) and
// sends the chosen one through the same intake as a dropped photo.
import { z } from 'zod';

export const SAMPLE_IDS = ['vase', 'duck', 'apple', 'robot'] as const;
export type SampleId = (typeof SAMPLE_IDS)[number];

export const SampleIdSchema = z.enum(SAMPLE_IDS, {
  error: (issue) => `Unknown sample ${JSON.stringify(issue.input)}. The samples are ${SAMPLE_IDS.join(', ')}.`,
});

export const SampleSchema = z.object({
  id: SampleIdSchema,
  title: z.string(),
  description: z.string(),
});
export type Sample = z.infer<typeof SampleSchema>;

/** What the page shows for each sample, in order. */
export const SAMPLES: readonly Sample[] = [
  { id: 'vase', title: 'Glazed vase', description: 'A teal vase with a flared lip' },
  { id: 'duck', title: 'Toy duck', description: 'A yellow bath-toy duck' },
  { id: 'apple', title: 'Apple', description: 'A red apple with a stem and a leaf' },
  { id: 'robot', title: 'Toy robot', description: 'A blue toy robot with an antenna' },
];

/** The file name a sample is kept under (resources/samples). */
export const sampleFileName = (id: SampleId): string => `${id}.jpg`;

/**
 * The name a sample's job has in the queue, and so its model in the library and its exported files:
 * its title, marked as a sample ("Toy duck (sample)"). It was "sample-duck", a file name, not a name.
 */
export function sampleJobName(id: SampleId): string {
  const title = SAMPLES.find((sample) => sample.id === id)?.title ?? id;
  return `${title} (sample).jpg`;
}

/**
 * A sample's name stored by the rule before 3a9d754, shown by today's: its job was "sample-duck.jpg", its
 * model "sample-duck" (and its source photo "sample-duck.jpg"). Only that exact old name of that very
 * sample's photo (`sourceName`) is replaced: a model the user renamed keeps its name.
 */
export function currentSampleName(name: string, sourceName: string): string {
  const id = SAMPLE_IDS.find((sample) => sourceName === `sample-${sample}.jpg`);
  if (!id) return name;
  if (name === `sample-${id}.jpg`) return sampleJobName(id);
  if (name === `sample-${id}`) return sampleJobName(id).slice(0, -'.jpg'.length);
  return name;
}
