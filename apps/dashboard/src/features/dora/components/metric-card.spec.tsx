import { type DoraMetrics, METRIC_DEFINITIONS, PER_CHANGE_LEAD_TIME_DEFINITION } from '@dora/domain';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NO_METRICS, pointOf, seriesOf } from '../../../test/fixtures';
import { renderAt } from '../../../test/render';
import { leadTimeViews, metricByKey } from '../utils/metrics';
import { BandBadge } from './band-badge';
import { MetricCard } from './metric-card';

const metrics = (frequency: number, successes: number): DoraMetrics => ({
  deployment_frequency: { value: frequency, successes, band: frequency >= 1 ? 'elite' : 'high' },
  lead_time: {
    p50_seconds: 5400,
    p95_seconds: 172800,
    sample: 38,
    without_commit: 3,
    excluded_negative: 1,
    band: 'elite',
    per_change: { p50_seconds: 9000, p95_seconds: 259200, sample: 120, excluded_negative: 2, deployments_with_changes: 38, band: 'elite' },
  },
  change_failure_rate: { value: 0.1, failed: 2, total: 20, band: 'high' },
  time_to_restore: { median_seconds: null, restored: 0, open: 1, oldest_open_seconds: 3600, band: null },
  rework_rate: { value: 0, rework: 0, total: 20, band: null },
});

const series = seriesOf('day', [
  pointOf('2026-11-25', '2026-11-26T00:00:00.000Z', {
    ...NO_METRICS,
    deployment_frequency: { value: 2, successes: 2, band: 'elite' },
    lead_time: { ...NO_METRICS.lead_time, p50_seconds: 100, p95_seconds: 100, sample: 1, band: 'elite' },
    change_failure_rate: { value: 0, failed: 0, total: 2, band: 'elite' },
    rework_rate: { value: 0, rework: 0, total: 2, band: null },
  }),
]);

function renderCard(name: string, current: DoraMetrics, previous: DoraMetrics, href?: string, trendHref?: string) {
  renderAt('/', [
    {
      path: '/',
      element: (
        <MetricCard
          slug="acme"
          environment="production"
          metric={metricByKey(name)!}
          current={current}
          previous={previous}
          windowDays={30}
          series={series}
          href={href}
          trendHref={trendHref}
        />
      ),
    },
  ]);
  return screen.getByRole('article', { name: metricByKey(name)!.title });
}

describe('MetricCard', () => {
  it('shows the value in human units, the band in words, the change against the previous window and the sample', () => {
    const card = renderCard('deployment_frequency', metrics(1.4, 42), metrics(1, 30), '/acme/_admin/dora/repos?sort=deployment_frequency');
    expect(within(card).getByText('1.4/day')).toBeTruthy();
    expect(within(card).getByText('Elite')).toBeTruthy();
    expect(within(card).getByText(/▲ 40% vs the previous 30 days/).className).toBe('better');
    expect(within(card).getByText('42 successful deploys')).toBeTruthy();
    expect(within(card).getByRole('link', { name: /Deployment frequency: 1.4\/day .*, by repo/ }).getAttribute('href')).toBe('/acme/_admin/dora/repos?sort=deployment_frequency');
    expect(within(card).getByLabelText(/last 1 days: focus and use the arrow keys/)).toBeTruthy();
  });

  it('says "not enough data" instead of a band, and why the number is missing', () => {
    const card = renderCard('time_to_restore', metrics(1, 30), metrics(1, 30));
    expect(within(card).queryByRole('link', { name: /trend/ })).toBeNull();
    expect(within(card).getByText('—', { selector: '.value' })).toBeTruthy();
    expect(within(card).getByText('Not enough data')).toBeTruthy();
    expect(within(card).getByText('No comparison with the previous 30 days')).toBeTruthy();
    expect(within(card).getByText('0 failures restored · 1 open (oldest 1 h)')).toBeTruthy();
    expect(within(card).getByText(/failure with no later success yet/)).toBeTruthy(); // in the info disclosure
    expect(within(card).getByText(METRIC_DEFINITIONS.time_to_restore.definition)).toBeTruthy(); // the contract's words, bands and all
  });

  it('links to its trend when given where it is', () => {
    const card = renderCard('lead_time', metrics(1, 30), metrics(1, 30), undefined, '/acme/_admin/dora/trends?metric=lead_time');
    expect(within(card).getByRole('link', { name: 'Lead time for changes: Trend' }).getAttribute('href')).toBe('/acme/_admin/dora/trends?metric=lead_time');
  });

  it('marks a worse change as worse, for metrics where lower is better', () => {
    const worse = metrics(1, 30);
    worse.change_failure_rate = { value: 0.25, failed: 5, total: 20, band: 'low' };
    const card = renderCard('change_failure_rate', worse, metrics(1, 30));
    expect(within(card).getByText(/▲ 15 pp vs the previous 30 days/).className).toBe('worse');
    expect(within(card).getByText('Low')).toBeTruthy();
  });
});

describe('MetricCard for lead time', () => {
  const renderLeadTime = (basis: 'deployment' | 'change') => {
    const { headline, second } = leadTimeViews(basis);
    renderAt('/', [
      {
        path: '/',
        element: <MetricCard slug="acme" environment="production" metric={headline} second={second} current={metrics(1, 30)} previous={metrics(1, 30)} windowDays={30} series={series} />,
      },
    ]);
    return screen.getByRole('article', { name: 'Lead time for changes' });
  };

  it('leads with the per-deployment lead time and shows the per-change one as its second line; the ⓘ says which is which', () => {
    const card = renderLeadTime('deployment');
    expect(card.querySelector('.headline .value')!.textContent).toBe('1.5 h'); // p50 per deployment, 5,400 s
    expect(card.querySelector('.sample')!.textContent).toBe('Per deployment · p95 2 days · 38 deploys measured');
    expect(card.querySelector('.second-line')!.textContent).toBe('Per change: 2.5 h Elite · p95 3 days · 120 commits in 38 deploys');
    expect(within(card).getByText(/The headline, per deployment:/).parentElement!.textContent).toContain(METRIC_DEFINITIONS.lead_time.definition);
    expect(within(card).getByText(/The second line, per change:/).parentElement!.textContent).toContain(PER_CHANGE_LEAD_TIME_DEFINITION);
    expect(within(card).getByText('2 commits dated later than the deploy that first shipped it')).toBeTruthy();
  });

  it('leads with the per-change lead time when the org chose it', () => {
    const card = renderLeadTime('change');
    expect(card.querySelector('.headline .value')!.textContent).toBe('2.5 h');
    expect(card.querySelector('.second-line')!.textContent).toBe('Per deployment: 1.5 h Elite · p95 2 days · 38 deploys measured');
    expect(within(card).getByText(/The headline, per change:/)).toBeTruthy();
  });
});

describe('BandBadge', () => {
  it.each([
    ['elite', 'Elite'],
    ['high', 'High'],
    ['medium', 'Medium'],
    ['low', 'Low'],
    [null, 'Not enough data'],
  ] as const)('%s → "%s", with its colour class', (band, text) => {
    renderAt('/', [{ path: '/', element: <BandBadge band={band} /> }]);
    const badge = screen.getByText(text);
    expect(badge.className).toBe(`badge badge-${band ?? 'none'}`);
  });
});
