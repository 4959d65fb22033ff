import { describe, expect, it } from '@jest/globals';
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand } from './bands.js';

const DAY = 86_400;

describe('deploymentFrequencyBand', () => {
  it.each([
    [30, 30, 'elite'], // 1 a day
    [29, 30, 'high'],
    [5, 30, 'high'], // 7·5 = 35 ≥ 30: more than once a week
    [4, 30, 'medium'], // 7·4 = 28 < 30
    [1, 30, 'medium'], // once a month
    [0, 30, 'low'],
    [7, 7, 'elite'],
    [1, 7, 'high'],
    [13, 90, 'high'], // 7·13 = 91 ≥ 90
    [12, 90, 'medium'],
    [3, 90, 'medium'], // 30·3 = 90
    [2, 90, 'low'],
  ] as const)('%i successes in %i days: %s', (successes, days, band) => {
    expect(deploymentFrequencyBand(successes, days)).toBe(band);
  });
});

describe('leadTimeBand', () => {
  it.each([
    [0, 'elite'],
    [DAY - 0.001, 'elite'],
    [DAY, 'high'],
    [7 * DAY - 1, 'high'],
    [7 * DAY, 'medium'],
    [30 * DAY - 1, 'medium'],
    [30 * DAY, 'low'],
  ] as const)('%f s: %s', (seconds, band) => {
    expect(leadTimeBand(seconds)).toBe(band);
  });

  it('has no band without a sample', () => {
    expect(leadTimeBand(null)).toBeNull();
  });
});

describe('changeFailureRateBand', () => {
  it.each([
    [0, 1, 'elite'],
    [1, 20, 'elite'], // 5%
    [1, 19, 'high'], // 5.3%
    [2, 20, 'high'], // 10%
    [3, 20, 'medium'], // 15%
    [3, 19, 'low'], // 15.8%
    [1, 1, 'low'],
  ] as const)('%i failed of %i: %s', (failed, total, band) => {
    expect(changeFailureRateBand(failed, total)).toBe(band);
  });

  it('has no band without deployments', () => {
    expect(changeFailureRateBand(0, 0)).toBeNull();
  });
});

describe('timeToRestoreBand', () => {
  it.each([
    [0, 'elite'],
    [3599.999, 'elite'],
    [3600, 'high'],
    [DAY - 1, 'high'],
    [DAY, 'medium'],
    [7 * DAY - 1, 'medium'],
    [7 * DAY, 'low'],
  ] as const)('%f s: %s', (seconds, band) => {
    expect(timeToRestoreBand(seconds)).toBe(band);
  });

  it('has no band when nothing was restored', () => {
    expect(timeToRestoreBand(null)).toBeNull();
  });
});
