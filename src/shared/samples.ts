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

/** The file name a sample is kept under, and the name its job shows in the queue and library. */
export const sampleFileName = (id: SampleId): string => `${id}.jpg`;
export const sampleJobName = (id: SampleId): string => `sample-${id}.jpg`;
