import { describe, expect, it } from '@jest/globals';
import { durationMs, UsageError } from './commands.js';

describe('durationMs', () => {
  it('reads days and hours', () => {
    expect(durationMs('90d')).toBe(90 * 86_400_000);
    expect(durationMs('12h')).toBe(12 * 3_600_000);
  });

  it.each(['0d', '90', 'd', '1w', '-1d', '1.5d', '90 d'])('refuses %j', (value) => {
    expect(() => durationMs(value)).toThrow(UsageError);
  });
});
