import { expect, it } from 'vitest';
import { unusableModelMessage } from '../../../src/core/engine/library-ingest';

it('a refused model says why in one sentence (the validator ends its own with a stop) and what to do', () => {
  const message = unusableModelMessage("The GLB is not valid glTF: Accessor's total byteOffset 2 isn't a multiple of componentType length 4.");
  expect(message).not.toMatch(/\.\./);
  expect(message).toBe(
    "The generated file is not a usable GLB model: The GLB is not valid glTF: Accessor's total byteOffset 2 isn't a multiple of componentType length 4. Nothing was added to the library; Generate again makes a new one (FAL charges again).",
  );
});
