import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../trends/utils/trend-points';
import { metricByKey } from '../utils/metrics';
import { WeekChart } from './weekly-trends';

const week = (date: string, value: number | null, band: TrendPoint['band'], partial = false): TrendPoint => ({
  date,
  from: `${date}T00:00:00.000Z`,
  to: `${date}T00:00:00.000Z`,
  partial,
  value,
  band,
  sample: `${value ?? 0} of 10 deploys failed or were rework`,
});

describe('a weekly chart', () => {
  const points = [week('2026-11-02', 0.1, 'elite'), week('2026-11-09', null, null), week('2026-11-16', 0.2, 'medium'), week('2026-11-23', 0.4, 'low', true)];
  const draw = () => render(<WeekChart metric={metricByKey('change_failure_rate')!} points={points} />).container;

  it('draws a dot per week with a value, in its band’s colour class, and tells the week on hover', () => {
    const dots = [...draw().querySelectorAll('.week-dot')];
    expect(dots.map((dot) => dot.getAttribute('class'))).toEqual(['week-dot week-dot-elite', 'week-dot week-dot-medium', 'week-dot week-dot-low']);
    expect(dots.map((dot) => dot.querySelector('title')!.textContent)).toEqual([
      'Week of 2 Nov 2026: 10%, Elite · 0.1 of 10 deploys failed or were rework',
      'Week of 16 Nov 2026: 20%, Medium · 0.2 of 10 deploys failed or were rework',
      'Week of 23 Nov 2026 (so far): 40%, Low · 0.4 of 10 deploys failed or were rework',
    ]);
  });

  it('scales the largest week to the top, and breaks the line where a week has no value', () => {
    const line = draw().querySelector('path:not(.week-dot)')!.getAttribute('d');
    // 4 weeks across 8…232: x = 8, 82.67, 157.33, 232; y = 72 − 8 − value / 0.4 × 56.
    expect(line).toBe('M8,50M157.33,36L232,8');
  });
});
