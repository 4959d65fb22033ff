import { describe, expect, it } from '@jest/globals';
import { parseRfc3339 } from './timestamps.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-05-14T10:00:00Z', Date.UTC(2026, 4, 14, 10)],
    ['2026-05-14t10:00:00z', Date.UTC(2026, 4, 14, 10)],
    ['2026-05-14T12:00:00+02:00', Date.UTC(2026, 4, 14, 10)],
    ['2026-05-14T05:30:00-04:30', Date.UTC(2026, 4, 14, 10)],
    ['2026-05-14T10:00:00.250Z', Date.UTC(2026, 4, 14, 10) + 250],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0099-01-01T00:00:00Z', -59042995200000], // not 1999: two-digit years are years, not 19xx
  ])('reads %s', (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    '2026-05-14T10:00:00', // no zone
    '2026-05-14 10:00:00Z', // no T
    '2026-05-14',
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z', // not a leap year
    '2026-13-01T10:00:00Z',
    '2026-05-14T24:00:00Z',
    '2026-05-14T10:60:00Z',
    '2026-05-14T10:00:60Z',
    '2026-05-14T10:00:00+24:00',
    '2026-05-14T10:00:00+0200',
    '0000-01-01T00:00:00Z',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
