// Times in the core's messages (job rows, the review dialog, the CLI) were written in UTC -
// "keeps asking until 2026-12-03 16:27:52 UTC" - while the window's dialogs show local time ("4:30 PM"):
// a user in New York read a time five hours off, or had to convert it. They are now the user's local
// time, as the dialogs show it; logs and stored data keep ISO / UTC.
import { expect, it } from 'vitest';
import { localDateTime } from '../../../src/shared/local-time';
import { absentMessage, pastAbsentMessage, pastFoundMessage, resubmitMessage, waitingMessage } from '../../../src/core/reconcile/messages';
import { keepTimeZone } from '../../support/keep-time-zone';

const AT = Date.UTC(2026, 11, 3, 16, 27, 52); // 16:27 UTC = 11:27 in New York, 01:27 next day in Tokyo

it('a moment is told in the given time zone, with its date', () => {
  expect(localDateTime(AT, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('Dec 3, 2026, 11:27 AM');
  expect(localDateTime(AT, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('Dec 4, 2026, 1:27 AM');
  expect(localDateTime(AT, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('3 Dec 2026, 17:27');
});

keepTimeZone();

it.each(['America/New_York', 'Asia/Tokyo'])('the reconciler’s messages tell times in the user’s time zone (%s), never UTC', (zone) => {
  process.env.TZ = zone;
  const local = localDateTime(AT, { timeZone: zone });
  const messages = [
    waitingMessage('settling', AT, AT),
    waitingMessage('offline', AT, AT),
    absentMessage(AT, AT - 600_000),
    resubmitMessage(AT),
    pastFoundMessage('owl.png', AT, 'r1', 0.3),
    pastAbsentMessage(null, AT, AT),
  ];
  for (const message of messages) {
    expect(message).toContain(local);
    expect(message).not.toMatch(/UTC|16:27|2026-12-03/);
  }
});
