import { render, screen } from '@testing-library/react';
import type { TooltipContentProps } from 'recharts';
import { describe, expect, it, vi } from 'vitest';
import { metricByKey } from '../../dora/utils/metrics';
import type { PerformersBar } from '../utils/performer-bars';
import type { TrendPoint } from '../utils/trend-points';
import { MonthTooltip } from './performers-charts';
import { PointTooltip } from './trend-chart';

const payloadOf = (payload: object) => [{ payload }] as unknown as TooltipContentProps['payload'];
const week: TrendPoint = { date: '2026-11-23', from: '2026-11-23T00:00:00.000Z', to: '2026-11-25T10:00:00.000Z', partial: true, value: 7200, band: 'elite', sample: 'p95 3 h · 4 deploys measured' };

describe('PointTooltip', () => {
  it('tells the period, its value with its band in words, its sample, that it is not over yet, and says which point it shows', () => {
    const onShown = vi.fn();
    render(<PointTooltip active payload={payloadOf(week)} metric={metricByKey('lead_time')!} interval="week" onShown={onShown} />);
    const tooltip = screen.getByRole('status');
    expect(tooltip.querySelector('strong')!.textContent).toBe('Week of 23 Nov 2026 (partial)');
    expect(screen.getByText('2 h').textContent).toBe('2 h Elite');
    expect(screen.getByText('p95 3 h · 4 deploys measured')).toBeTruthy();
    expect(screen.getByText('Not over yet: counted up to now.')).toBeTruthy();
    expect(onShown).toHaveBeenLastCalledWith('2026-11-23');
  });

  it('says nothing of a band for rework, nor of being partial for a period over', () => {
    render(<PointTooltip active payload={payloadOf({ ...week, partial: false, value: 0.25, band: null, sample: '1 of 4 deploys were rework' })} metric={metricByKey('rework_rate')!} interval="month" onShown={vi.fn()} />);
    expect([...screen.getByRole('status').children].map((line) => line.textContent)).toEqual(['Nov 2026', '25%', '1 of 4 deploys were rework', 'Click for the deployments behind it.']);
  });

  it('draws nothing, and says no point is shown, once inactive', () => {
    const onShown = vi.fn();
    const { container } = render(<PointTooltip active={false} payload={[]} metric={metricByKey('lead_time')!} interval="day" onShown={onShown} />);
    expect(container.innerHTML).toBe('');
    expect(onShown).toHaveBeenLastCalledWith(null);
  });
});

describe('MonthTooltip', () => {
  it('counts a month’s repos in each band, best first', () => {
    const bar: PerformersBar = { month: '2026-10', partial: false, counted: 3, elite: 1, high: 1, medium: 0, low: 1, no_data: 0 };
    render(<MonthTooltip active payload={payloadOf(bar)} counted="repos" />);
    expect(screen.getByRole('status').querySelector('strong')!.textContent).toBe('Oct 2026: 3 repos');
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Elite: 1', 'High: 1', 'Medium: 0', 'Low: 1', 'Not enough data: 0']);
  });
});
