// `{date}` in an export's file-name pattern was the UTC date: in Tokyo an export at 8 AM was named with
// yesterday's date, in New York one at 9 PM with tomorrow's. And `image2model list` showed when each
// model was made in UTC, unlabelled. Both are the user's local day and time now.
import { expect, it } from 'vitest';
import { fileStem } from '../../../src/core/export/write';
import { localStamp } from '../../../src/shared/local-time';
import { keepTimeZone } from '../../support/keep-time-zone';

keepTimeZone();

const AT = new Date('2026-12-03T23:30:00Z');

it.each([
  ['Asia/Tokyo', '2026-12-04', '2026-12-04 08:30'],
  ['America/New_York', '2026-12-03', '2026-12-03 18:30'],
  ['Pacific/Kiritimati', '2026-12-04', '2026-12-04 13:30'],
  ['America/Los_Angeles', '2026-12-03', '2026-12-03 15:30'],
])('in %s the day and time are the local ones', (zone, day, stamp) => {
  process.env.TZ = zone;
  expect(fileStem('{name}_{date}', { name: 'Chair', id: 'x', preset: 'web', date: AT })).toBe(`Chair_${day}`);
  expect(localStamp(AT.getTime())).toBe(stamp);
});
