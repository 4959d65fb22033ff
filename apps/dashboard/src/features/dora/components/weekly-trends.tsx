import { BANDED_METRICS } from '@dora/domain';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/error-message';
import { useSettings } from '../../settings/api/settings';
import { periodLabel, type TrendPoint, toTrendPoints } from '../../trends/utils/trend-points';
import { useSeries } from '../api/series';
import { leadTimeViews, type MetricView, metricByKey } from '../utils/metrics';
import { BAND_LABELS } from '../utils/bands';
import { BandBadge } from './band-badge';
import { TableScroll } from '../../../components/table-scroll';

/**
 * The four banded metrics week by week, the last 12 weeks: a small chart each whose dots take the week's
 * band colour, and the same weeks as a table with the band in words. Lead time on the org's basis.
 */
export function WeeklyTrends(props: { slug: string; environment: string; team?: string; trendHref: (metricKey: string) => string }) {
  const series = useSeries({ slug: props.slug, environment: props.environment, team: props.team }, 'week');
  const settings = useSettings(props.slug);
  const leadTime = leadTimeViews(settings.data?.lead_time_basis ?? 'deployment').headline;
  const metrics = BANDED_METRICS.map((key) => (key === 'lead_time' ? leadTime : metricByKey(key)!));
  const pending = series.isPending || settings.isPending;
  return (
    <section className="weekly" aria-labelledby="weekly-heading">
      <div className="section-title">
        <h2 id="weekly-heading">Last 12 weeks</h2>
      </div>
      <p className="hint">
        Each dot is a week, coloured by its band: <BandBadge band="elite" /> <BandBadge band="high" /> <BandBadge band="medium" /> <BandBadge band="low" />{' '}
        <BandBadge band={null} />
      </p>
      <ErrorMessage error={series.error} prefix="Could not load the weekly trends: " />
      {pending && !series.isError && (
        <div className="weekly-trends" aria-busy="true">
          <span className="visually-hidden" role="status">
            Loading the weekly trends
          </span>
          {metrics.map((metric) => (
            <div key={metric.key} className="card weekly-trend" aria-hidden="true">
              <span className="skeleton skeleton-title" />
              <span className="skeleton week-chart" />
              <span className="skeleton skeleton-line" />
            </div>
          ))}
        </div>
      )}
      {!pending && series.data && (
        <div className="weekly-trends">
          {metrics.map((metric) => (
            <WeeklyTrend key={metric.key} metric={metric} points={toTrendPoints(series.data, metric)} href={props.trendHref(metric.key)} />
          ))}
        </div>
      )}
    </section>
  );
}

/** One metric's weeks. The chart is for the eye (hover tells a week); the table beside it says the same in words. */
export function WeeklyTrend({ metric, points, href }: { metric: MetricView; points: TrendPoint[]; href: string }) {
  const title = metric.basis ? `${metric.title} (${metric.basis})` : metric.title;
  return (
    <section className="card weekly-trend" aria-label={`${title}, last ${points.length} weeks`} data-metric={metric.key}>
      <header className="card-header">
        <h3>{title}</h3>
        <Link to={href}>
          <span className="visually-hidden">{metric.title}:</span> Weekly trend
        </Link>
      </header>
      <WeekChart metric={metric} points={points} />
      {points.every((p) => p.value === null) && <p className="hint">Nothing to measure in these {points.length} weeks.</p>}
      <details>
        <summary>Week by week</summary>
        <TableScroll label={`${title}, week by week`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">{metric.title}</th>
                <th scope="col">Band</th>
                <th scope="col">Sample</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.date}>
                  <th scope="row" className="wrap">
                    <time dateTime={p.date}>{periodLabel(p.date, 'week')}</time>
                    {p.partial && ' (so far)'}
                  </th>
                  <td>{metric.format(p.value)}</td>
                  <td>
                    <BandBadge band={p.band} />
                  </td>
                  <td className="wrap">{p.sample}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}

const [WIDTH, HEIGHT, INSET] = [240, 72, 8];

/**
 * The weeks as a line (broken where a week has no value) with a dot per week in its band's colour; hover a
 * dot for the week in words. Drawn by hand: twelve points do not need a chart library's measuring and
 * layout passes, and the page draws four of them. The table under it is what screen readers get.
 */
export function WeekChart({ metric, points }: { metric: MetricView; points: TrendPoint[] }) {
  const largest = Math.max(0, ...points.map((p) => p.value ?? 0)) || 1;
  const rounded = (n: number) => Math.round(n * 100) / 100;
  const x = (i: number) => rounded(INSET + (i * (WIDTH - 2 * INSET)) / Math.max(1, points.length - 1));
  const y = (value: number) => rounded(HEIGHT - INSET - (value / largest) * (HEIGHT - 2 * INSET));
  const line = points.map((p, i) => (p.value === null ? '' : `${i === 0 || points[i - 1]!.value === null ? 'M' : 'L'}${x(i)},${y(p.value)}`)).join('');
  return (
    // Stretched to the card's width; strokes keep their width, and a dot is a round-capped stroke of no length, so it stays round.
    <svg className="week-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true">
      <path d={line} fill="none" stroke="currentColor" strokeWidth={2} vectorEffect="non-scaling-stroke" />
      {points.map((p, i) =>
        p.value === null ? null : (
          <path key={p.date} d={`M${x(i)},${y(p.value)}h0`} className={`week-dot week-dot-${p.band ?? 'none'}`} vectorEffect="non-scaling-stroke">
            <title>{`${periodLabel(p.date, 'week')}${p.partial ? ' (so far)' : ''}: ${metric.format(p.value)}, ${p.band ? BAND_LABELS[p.band] : 'no band'} · ${p.sample}`}</title>
          </path>
        ),
      )}
    </svg>
  );
}
