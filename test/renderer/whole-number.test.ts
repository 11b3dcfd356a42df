// A number typed into Settings > Photos is checked against the range the settings file takes, so a
// refusal says what to type (not the store's schema error).
import { expect, it } from 'vitest';
import { wholeNumberProblem } from '../../src/renderer/src/features/settings/whole-number';

it('takes a whole number within the range', () => {
  expect(wholeNumberProblem('256', 256, 8192, 'px')).toBeNull();
  expect(wholeNumberProblem('8192', 256, 8192, 'px')).toBeNull();
});

it('refuses text, fractions, signs and numbers out of range, saying what to type', () => {
  for (const text of ['', 'abc', '12.5', '-3', '1e3', '255', '8193', '99999999999999999999']) {
    expect(wholeNumberProblem(text, 256, 8192, 'px')).toBe('Enter a whole number from 256 to 8192 (px).');
  }
});
