import type { DeploymentItem } from '@dora/domain';
import { render, screen, within } from '@testing-library/react';
import type { TooltipContentProps } from 'recharts';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { describe, expect, it, vi } from 'vitest';
import type { DayDeployments } from '../api/deployments';
import { metricByKey } from '../utils/metrics';
import type { ChartPoint } from '../utils/series-points';
import { metricsWith, pointOf, seriesOf } from '../../../test/fixtures';
import { DayTooltip, Sparkline } from './sparkline';

const point: ChartPoint = { date: '2026-11-25', from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z', value: 2 };
const payload = [{ payload: point }] as unknown as TooltipContentProps['payload'];
const failed: DeploymentItem = {
  id: 'd1',
  repo_full_name: 'acme/web',
  environment: 'production',
  deployed_at: '2026-11-25T10:00:00.000Z',
  commit_sha: 'abcdef1234567890',
  committed_at: null,
  success: false,
  is_rework: true,
  external_ref: null,
  service: null,
  team: null,
  source: 'api',
  ingested_by: { type: 'token', id: 't1', name: 'ci' },
  created_at: '2026-11-25T10:00:01.000Z',
};
const of = (shown: Partial<DayDeployments>): DayDeployments => ({ date: point.date, items: [], pending: false, error: null, more: false, ...shown });

describe('DayTooltip', () => {
  it('draws the day, its value and the deployments it is given, and says which day it shows', () => {
    const onDay = vi.fn();
    render(<DayTooltip active payload={payload} metric={metricByKey('deployment_frequency')!} deployments={of({ items: [failed], more: true })} onDay={onDay} />);
    expect(screen.getByText('2026-11-25: 2 deploys')).toBeTruthy();
    expect(screen.getByText('acme/web')).toBeTruthy();
    expect(screen.getByText('failed').className).toBe('error');
    expect(screen.getByText('failed').parentElement!.textContent).toContain('failed · rework');
    expect(screen.getByText('abcdef12')).toBeTruthy();
    expect(screen.getByText(formatRelative(failed.deployed_at)).getAttribute('title')).toBe(formatDateTime(failed.deployed_at));
    expect(screen.getByText('… and more')).toBeTruthy();
    expect(onDay).toHaveBeenCalledWith({ date: point.date, from: point.from, to: point.to });
  });

  it('shows deployments of another day as still loading, an empty day as empty and a failure as an alert', () => {
    const metric = metricByKey('lead_time')!;
    const { rerender } = render(<DayTooltip active payload={payload} metric={metric} deployments={of({ date: '2026-11-24', items: [failed] })} onDay={vi.fn()} />);
    expect(screen.getByText('Loading deployments…')).toBeTruthy();
    expect(screen.queryByText('acme/web')).toBeNull();
    rerender(<DayTooltip active payload={payload} metric={metric} deployments={of({})} onDay={vi.fn()} />);
    expect(screen.getByText('No deployments behind this day.')).toBeTruthy();
    rerender(<DayTooltip active payload={payload} metric={metric} deployments={of({ error: new Error('The database is not reachable') })} onDay={vi.fn()} />);
    expect(screen.getByRole('alert').textContent).toBe('The database is not reachable');
  });

  it('draws nothing, and says no day is shown, once inactive', () => {
    const onDay = vi.fn();
    const { container } = render(<DayTooltip active={false} payload={[]} metric={metricByKey('lead_time')!} deployments={of({})} onDay={onDay} />);
    expect(container.innerHTML).toBe('');
    expect(onDay).toHaveBeenLastCalledWith(null);
  });
});

describe('Sparkline', () => {
  it('says its points in a table for screen readers, a day a row', () => {
    // A day's frequency is its count of successful deploys.
    const day = (successes: number) => ({ ...metricsWith(successes), deployment_frequency: { value: successes, successes, band: 'elite' as const } });
    const series = seriesOf('day', [pointOf('2026-11-24', '2026-11-25T00:00:00.000Z', day(3)), pointOf('2026-11-25', '2026-11-26T00:00:00.000Z', day(0))]);
    render(<Sparkline series={series} metric={metricByKey('deployment_frequency')!} deployments={of({})} onDay={vi.fn()} />);
    const table = within(screen.getByRole('group', { name: /^Deployment frequency, last 2 days/ })).getByRole('table', { name: 'Deployment frequency, day by day' });
    expect(within(table).getAllByRole('row').map((row) => row.textContent)).toEqual(['2026-11-243 deploys', '2026-11-250 deploys']);
  });
});
