// The one memory of "every key read this run" that the engine's redaction and the platform work share.
import { describe, expect, it } from 'vitest';
import { createRedaction } from '../../../src/core/engine/redaction';
import { createKeyMemory, MAX_HELD_KEYS } from '../../../src/core/fal/redact';

const keyNo = (n: number) => `key-id-${String(n).padStart(4, '0')}:SECRET${String(n).padStart(4, '0')}abcdef0123`;

describe('createKeyMemory', () => {
  it('keeps each key read once, oldest first, and ignores none and empty', () => {
    const memory = createKeyMemory();
    for (const key of [keyNo(1), null, undefined, '', keyNo(2), keyNo(1)]) memory.remember(key);
    expect(memory.keys()).toEqual([keyNo(2), keyNo(1)]);
  });

  it(`past ${MAX_HELD_KEYS} keys forgets the one read longest ago; a key read again counts as the newest`, () => {
    const memory = createKeyMemory();
    for (let n = 1; n <= MAX_HELD_KEYS; n++) memory.remember(keyNo(n));
    memory.remember(keyNo(1));
    memory.remember(keyNo(MAX_HELD_KEYS + 1));
    const kept = memory.keys();
    expect(kept).toHaveLength(MAX_HELD_KEYS);
    expect(kept).not.toContain(keyNo(2));
    expect(kept.slice(-2)).toEqual([keyNo(1), keyNo(MAX_HELD_KEYS + 1)]);
  });
});

describe('the engine redaction over it', () => {
  it('keeps out the key it holds now when a billing key is read past what it remembers', () => {
    const current = keyNo(0);
    let billing = 1;
    const redaction = createRedaction(() => current, () => [keyNo(billing)]);
    // The current key and MAX_HELD_KEYS - 1 billing keys fill the memory; the next one read must not push the current key out.
    for (; billing < MAX_HELD_KEYS; billing++) redaction.redact('');
    expect(redaction.redact(`sent with ${current}`)).not.toContain('SECRET0000');
  });
});
