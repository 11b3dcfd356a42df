// FAL_KEY from the environment with a character HTTP cannot carry is not used (the CLI, the browser
// transport): the status says why instead of every FAL call failing as a broken connection.
import { expect, it } from 'vitest';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';

it('a FAL_KEY with an invisible or unusual character is not used, and the status says why', () => {
  for (const pasted of ['fal-key-0123456789\u200b', '\u201cfal-key-0123456789\u201d', 'fal-kеy-0123456789' /* Cyrillic e */]) {
    const vault = createMemoryKeyVault({ FAL_KEY: pasted });
    expect(vault.get()).toBeNull();
    expect(vault.status()).toMatchObject({ set: false, source: null });
    expect(vault.status().envProblem).toMatch(/FAL_KEY .* not used: it contains an invisible or unusual character/);
  }
  const fine = createMemoryKeyVault({ FAL_KEY: ' fal-key-0123456789\n' });
  expect(fine.get()).toBe('fal-key-0123456789');
  expect(fine.status().envProblem).toBeUndefined();
});
