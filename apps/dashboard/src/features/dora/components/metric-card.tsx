import type { DoraMetrics, DoraSeries } from '@dora/domain';
import { useState } from 'react';
import { Link } from 'react-router';
import { useDayDeployments } from '../api/deployments';
import { changeAgainst } from '../utils/change';
import type { MetricView } from '../utils/metrics';
import type { ChartDay } from '../utils/series-points';
import { BandBadge, NoBandBadge } from './band-badge';
import { MetricInfo } from './metric-info';
import { Sparkline } from './sparkline';

interface Props {
  slug: string;
  environment: string;
  repo?: string;
  team?: string;
  metric: MetricView;
  current: DoraMetrics;
  previous: DoraMetrics;
  windowDays: number;
  series: DoraSeries | undefined;
  /** Where a click on the card goes (the per-repo breakdown for this metric); none on a repo's own page. */
  href?: string;
  /** The same metric counted the other way (lead time per change or per deployment), shown as a second line. */
  second?: MetricView;
  /** Where its trend over weeks and months is. */
  trendHref?: string;
}

export function MetricCard({ slug, environment, repo, team, metric, current, previous, windowDays, series, href, second, trendHref }: Props) {
  // The sparkline's day on show, and the deployments behind it (only those the metric counts).
  const [day, setDay] = useState<ChartDay | null>(null);
  const dayDeployments = useDayDeployments(slug, { environment, repo, team, ...metric.behind }, day);
  const value = metric.value(current);
  const change = changeAgainst(value, metric.value(previous), metric.better, metric.describeChange);
  const headline = (
    <>
      <span className="value">{metric.format(value)}</span>{' '}
      {metric.key === 'rework_rate' ? <NoBandBadge /> : <BandBadge band={metric.band(current)} />}
    </>
  );
  return (
    <article className="card" aria-label={metric.title} data-metric={metric.key}>
      <header className="card-header">
        <h2>{metric.title}</h2>
        <MetricInfo metric={metric} second={second} metrics={current} />
      </header>
      {href ? (
        <Link to={href} className="headline">
          <span className="visually-hidden">{metric.title}:</span> {headline}
          <span className="visually-hidden">, by repo</span>
        </Link>
      ) : (
        <p className="headline">{headline}</p>
      )}
      <p className="change">
        {change === null ? (
          `No comparison with the previous ${windowDays} days`
        ) : (
          <span className={change.improved === null ? '' : change.improved ? 'better' : 'worse'}>
            {change.direction === 'up' ? '▲' : change.direction === 'down' ? '▼' : '='} {change.delta} vs the previous {windowDays} days
            {change.improved !== null && <span className="visually-hidden">{change.improved ? ' (better)' : ' (worse)'}</span>}
          </span>
        )}
      </p>
      <p className="sample">
        {metric.basis && `${capitalised(metric.basis)} · `}
        {metric.sample(current)}
      </p>
      {second && (
        <p className="second-line" data-basis={second.basis}>
          {capitalised(second.basis ?? '')}: <strong>{second.format(second.value(current))}</strong> <BandBadge band={second.band(current)} /> · {second.sample(current)}
        </p>
      )}
      {series ? <Sparkline series={series} metric={metric} deployments={dayDeployments} onDay={setDay} /> : <div className="sparkline skeleton" aria-busy="true" />}
      {trendHref && (
        <Link to={trendHref} className="trend-link">
          <span className="visually-hidden">{metric.title}:</span> Trend
        </Link>
      )}
    </article>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
