import { useTeams } from '../../teams/api/teams';
import { teamLabel } from '../../teams/utils/team-label';
import { useSettings } from '../../settings/api/settings';
import { useSeries } from '../api/series';
import { useSummary } from '../api/summary';
import { leadTimeViews, METRICS } from '../utils/metrics';
import { MetricCard } from './metric-card';
import { ErrorMessage } from '../../../components/error-message';

/** The five cards of an org, or of one repo, team, or both. */
export function MetricCards(props: { slug: string; environment: string; window?: number; repo?: string; team?: string; reposHref?: (metricKey: string) => string; trendHref?: (metricKey: string) => string }) {
  const summary = useSummary(props);
  const series = useSeries(props);
  const teams = useTeams(props.slug);
  const settings = useSettings(props.slug);
  if (summary.isPending || settings.isPending) return <MetricCardsSkeleton />;
  if (summary.isError) return <ErrorMessage error={summary.error} prefix="Could not load the metrics: " />;
  const { previous, window } = summary.data;
  // Without the settings, the product's published definition leads.
  const leadTime = leadTimeViews(settings.data?.lead_time_basis ?? 'deployment');
  return (
    <>
      <p className="window">
        Last {window.days} days, to {new Date(window.to).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })} · {props.environment}
        {props.repo ? ` · ${props.repo}` : ''}
        {props.team ? ` · ${teamLabel(props.team, teams.data?.items)}` : ''}
      </p>
      <ErrorMessage error={series.error} prefix="The daily series could not be loaded: " />
      <div className="cards">
        {METRICS.map((metric) => (
          <MetricCard
            key={metric.key}
            slug={props.slug}
            environment={props.environment}
            repo={props.repo}
            team={props.team}
            metric={metric.key === 'lead_time' ? leadTime.headline : metric}
            second={metric.key === 'lead_time' ? leadTime.second : undefined}
            current={summary.data}
            previous={previous}
            windowDays={window.days}
            series={series.data}
            href={props.reposHref?.(metric.key)}
            trendHref={props.trendHref?.(metric.key)}
          />
        ))}
      </div>
    </>
  );
}

/** The window line and the five cards' places while they load, the size they will be: nothing moves when they arrive. */
export function MetricCardsSkeleton() {
  return (
    <>
      <p className="window" aria-busy="true">
        <span className="skeleton window-skeleton" />
      </p>
      <div className="cards" aria-busy="true">
        <span className="visually-hidden" role="status">
          Loading the metrics
        </span>
        {METRICS.map((metric) => (
          <div key={metric.key} className="card card-skeleton" aria-hidden="true">
            <span className="skeleton skeleton-title" />
            <span className="skeleton skeleton-value" />
            <span className="skeleton skeleton-line" />
            <span className="skeleton skeleton-line" />
            <span className="skeleton skeleton-chart" />
            <span className="skeleton skeleton-link" />
          </div>
        ))}
      </div>
    </>
  );
}
