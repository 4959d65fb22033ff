import { SERIES_INTERVALS, type SeriesInterval } from '@dora/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../../../components/error-message';
import { seriesCsvPath, seriesQuery } from '../../dora/api/series';
import { BandBadge } from '../../dora/components/band-badge';
import { leadTimeViews, METRICS } from '../../dora/utils/metrics';
import { useSettings } from '../../settings/api/settings';
import type { TrendScope } from '../api/comparison';
import { deploymentsHref } from '../utils/deployments-href';
import { toTrendPoints } from '../utils/trend-points';
import { SegmentedSwitch } from './segmented-switch';
import { TrendChart } from './trend-chart';

const INTERVAL_TITLES: Record<SeriesInterval, string> = { day: 'Day', week: 'Week', month: 'Month' };

/** The five metrics over 30 days, 12 weeks or 12 months; lead time counted as the org's setting says. */
export function TrendCharts(props: { scope: TrendScope; interval: SeriesInterval; onInterval: (interval: SeriesInterval) => void; highlighted?: string }) {
  const { scope } = props;
  // The charts stay while the next interval loads, then redraw at once.
  const series = useQuery({ ...seriesQuery(scope, props.interval), placeholderData: keepPreviousData });
  const settings = useSettings(scope.slug);
  const leadTime = leadTimeViews(settings.data?.lead_time_basis ?? 'deployment').headline;
  return (
    <section aria-labelledby="trends-heading">
      <div className="section-title">
        <h2 id="trends-heading">Over time</h2>
        <SegmentedSwitch label="Interval" options={SERIES_INTERVALS.map((i) => [i, INTERVAL_TITLES[i]] as const)} value={props.interval} onChange={props.onInterval} />
        <a href={seriesCsvPath(scope, props.interval)} download>
          Download the {props.interval === 'day' ? 'daily' : `${props.interval}ly`} series (CSV)
        </a>
      </div>
      <p className="hint">
        Each point’s background is its band: <BandBadge band="elite" /> <BandBadge band="high" /> <BandBadge band="medium" /> <BandBadge band="low" /> <BandBadge band={null} />
      </p>
      {(series.isPending || settings.isPending) && <p role="status">Loading the trends…</p>}
      <ErrorMessage error={series.error} prefix="Could not load the trends: " />
      {series.data && !settings.isPending && (
        <div className="trends" aria-busy={series.isPlaceholderData}>
          {METRICS.map((m) => {
            const metric = m.key === 'lead_time' ? leadTime : m;
            return (
              <TrendChart
                key={metric.key}
                metric={metric}
                points={toTrendPoints(series.data, metric)}
                interval={series.data.interval}
                hrefOf={(point) => deploymentsHref(scope.slug, scope, metric, point)}
                highlighted={props.highlighted === metric.key}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}
