import { Link } from 'react-router';
import { type DotItemDotProps, Line, LineChart, ResponsiveContainer, Tooltip, type TooltipContentProps } from 'recharts';
import { ErrorMessage } from '../../../components/error-message';
import { useSettings } from '../../settings/api/settings';
import { periodLabel, type TrendPoint, toTrendPoints } from '../../trends/utils/trend-points';
import { useSeries } from '../api/series';
import { leadTimeViews, type MetricView, metricByKey } from '../utils/metrics';
import { BANDED_METRICS } from '../utils/org-sentence';
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
      <div className="week-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={72}>
          <LineChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
            <Line type="monotone" dataKey="value" stroke="currentColor" strokeWidth={2} dot={WeekDot} activeDot={{ r: 5 }} isAnimationActive={false} connectNulls={false} />
            <Tooltip cursor={false} allowEscapeViewBox={{ x: false, y: true }} wrapperStyle={{ zIndex: 10 }} content={<WeekTooltip metric={metric} />} />
          </LineChart>
        </ResponsiveContainer>
      </div>
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

/** A week's dot, in its band's colour (styles.css: light or dark); none where the week has no value. */
export function WeekDot({ cx, cy, index, payload }: DotItemDotProps) {
  const point = payload as TrendPoint;
  if (cx === undefined || cy === undefined || point.value === null) return <g key={index} />;
  return <circle key={index} cx={cx} cy={cy} r={3.5} className={`week-dot week-dot-${point.band ?? 'none'}`} />;
}

/** A week: its value, band (in words) and sample. */
export function WeekTooltip({ active, payload, metric }: Partial<Pick<TooltipContentProps, 'active' | 'payload'>> & { metric: MetricView }) {
  const point = active ? (payload?.[0]?.payload as TrendPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="tooltip">
      <strong>
        {periodLabel(point.date, 'week')}
        {point.partial && ' (so far)'}
      </strong>
      <p>
        {metric.format(point.value)} <BandBadge band={point.band} />
      </p>
      <p>{point.sample}</p>
    </div>
  );
}
