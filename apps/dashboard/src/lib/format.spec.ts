import { describe, expect, it } from 'vitest';
import { formatDuration, formatFrequency, formatRate, formatRelative, shortSha } from './format';

describe('human units', () => {
  it.each([
    [null, '—'],
    [0, '0 s'],
    [59.4, '59 s'],
    [60, '1 min'],
    [3569, '59 min'],
    [3599, '1 h'],
    [3600, '1 h'],
    [5400, '1.5 h'],
    [86_399, '1 day'],
    [86_400, '1 day'],
    [129_600, '1.5 days'],
    [30 * 86_400, '30 days'],
  ])('duration %s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [null, '—'],
    [0, '0%'],
    [0.0454545, '4.5%'],
    [0.15, '15%'],
    [1, '100%'],
  ])('rate %s → %s', (fraction, text) => {
    expect(formatRate(fraction)).toBe(text);
  });

  it.each([
    [0, 'none'],
    [1.4, '1.4/day'],
    [1, '1/day'],
    [0.5, '3.5/week'],
    [1 / 7, '1/week'],
    [1 / 30, '1/month'],
    [0.1, '3/month'],
  ])('frequency %s a day → %s', (perDay, text) => {
    expect(formatFrequency(perDay)).toBe(text);
  });

  it('says frequencies side by side in the unit of the largest', () => {
    expect([0.1, 0.5, 2].map((perDay) => formatFrequency(perDay, 2))).toEqual(['0.1/day', '0.5/day', '2/day']);
    expect([0.1, 0.5].map((perDay) => formatFrequency(perDay, 0.5))).toEqual(['0.7/week', '3.5/week']);
  });

  it('shortens commit SHAs', () => {
    expect(shortSha('4704266ef0d0d2cc1377ad083c0a0f5ef02f02e9')).toBe('4704266e');
    expect(shortSha(null)).toBe('—');
  });

  const NOW = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    ['2026-11-30T11:59:20Z', 'just now'],
    ['2026-11-30T11:59:00Z', '1 min ago'],
    ['2026-11-30T11:05:00Z', '55 min ago'],
    ['2026-11-30T09:30:00Z', '2 h ago'],
    ['2026-11-29T12:00:01Z', '23 h ago'],
    ['2026-11-29T12:00:00Z', '1 day ago'],
    ['2026-11-20T00:00:00Z', '10 days ago'],
    ['2026-11-30T15:00:00Z', 'in 3 h'],
  ])('%s, seen at noon on 30 November → %s', (iso, text) => {
    expect(formatRelative(iso, NOW)).toBe(text);
  });
});
