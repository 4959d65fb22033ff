import { render, screen } from '@testing-library/react';
import { Line, LineChart, type TooltipContentProps } from 'recharts';
import { describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../trends/utils/trend-points';
import { metricByKey } from '../utils/metrics';
import { WeekDot, WeekTooltip } from './weekly-trends';

const week = (date: string, value: number | null, band: TrendPoint['band'], partial = false): TrendPoint => ({
  date,
  from: `${date}T00:00:00.000Z`,
  to: `${date}T00:00:00.000Z`,
  partial,
  value,
  band,
  sample: `${value ?? 0} of 10 deploys failed or were rework`,
});

describe('a week of the weekly trends', () => {
  it('draws each week’s dot in its band’s colour class, and none for a week without a value', () => {
    const points = [week('2026-11-02', 0.02, 'elite'), week('2026-11-09', null, null), week('2026-11-16', 0.3, 'low')];
    const { container } = render(
      <LineChart width={300} height={80} data={points}>
        <Line dataKey="value" dot={WeekDot} isAnimationActive={false} />
      </LineChart>,
    );
    expect([...container.querySelectorAll('circle')].map((dot) => dot.getAttribute('class'))).toEqual(['week-dot week-dot-elite', 'week-dot week-dot-low']);
  });

  it('tells a hovered week’s value, band in words and sample, and whether it is over', () => {
    const payload = [{ payload: week('2026-11-23', 0.3, 'low', true) }] as unknown as TooltipContentProps['payload'];
    render(<WeekTooltip active payload={payload} metric={metricByKey('change_failure_rate')!} />);
    expect([...document.querySelector('.tooltip')!.children].map((line) => line.textContent)).toEqual([
      'Week of 23 Nov 2026 (so far)',
      '30% Low',
      '0.3 of 10 deploys failed or were rework',
    ]);
    expect(screen.getByText('Low').className).toBe('badge badge-low');
  });
});
