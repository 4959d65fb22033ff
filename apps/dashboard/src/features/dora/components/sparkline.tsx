import type { DoraSeries } from '@dora/domain';
import { useEffect } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, type TooltipContentProps } from 'recharts';
import { ErrorMessage } from '../../../components/error-message';
import { RelativeTime } from '../../../components/relative-time';
import { shortSha } from '../../../lib/format';
import type { DayDeployments } from '../api/deployments';
import type { MetricView } from '../utils/metrics';
import { type ChartDay, type ChartPoint, toChartPoints } from '../utils/series-points';
import { DeploymentResult } from './deployment-result';

interface Props {
  series: DoraSeries;
  metric: MetricView;
  /** The deployments behind the day shown, fetched by the caller. */
  deployments: DayDeployments;
  /** Told which day is shown (hovered, or chosen with the arrow keys), and `null` once none is. */
  onDay: (day: ChartDay | null) => void;
}

/** A metric's last 30 days; hovering (or the arrow keys, once focused) shows a day and the deployments behind it. Only draws. */
export function Sparkline({ series, metric, deployments, onDay }: Props) {
  const points = toChartPoints(series, metric);
  return (
    <div className="sparkline" role="group" aria-label={`${metric.title}, last ${points.length} days: focus and use the arrow keys for each day`}>
      <table className="visually-hidden">
        <caption>
          {metric.title}, day by day
        </caption>
        <tbody>
          {points.map((p) => (
            <tr key={p.date}>
              <th scope="row">{p.date}</th>
              <td>{dayValue(metric, p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ResponsiveContainer width="100%" height={56}>
        <LineChart data={points} margin={{ top: 6, right: 6, bottom: 6, left: 6 }} accessibilityLayer>
          <Line type="monotone" dataKey="value" stroke="currentColor" strokeWidth={2} dot={{ r: 2 }} activeDot={{ r: 4 }} isAnimationActive={false} connectNulls={false} />
          <Tooltip
            cursor={false}
            allowEscapeViewBox={{ x: false, y: true }}
            wrapperStyle={{ zIndex: 10, pointerEvents: 'auto' }}
            // An element (not a function) keeps the tooltip mounted while the chart re-renders.
            content={<DayTooltip metric={metric} deployments={deployments} onDay={onDay} />}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

type DayTooltipProps = Partial<Pick<TooltipContentProps, 'active' | 'payload'>> & Omit<Props, 'series'>;

/** One day: its value and the deployments behind it. Says which day it shows through `onDay`. */
export function DayTooltip({ active, payload, metric, deployments, onDay }: DayTooltipProps) {
  const point = active ? (payload?.[0]?.payload as ChartPoint | undefined) : undefined;
  // The day's strings, not the point (a new object each render), say when another day is shown.
  const { date, from, to } = point ?? {};
  useEffect(() => {
    onDay(date === undefined || from === undefined || to === undefined ? null : { date, from, to });
  }, [date, from, to, onDay]);
  if (!point) return null;
  // Until the caller has the deployments of this day, they are loading.
  const current = deployments.date === point.date ? deployments : { ...deployments, pending: true, error: null, items: [], more: false };
  return (
    <div className="tooltip" role="status">
      <strong>
        {point.date}: {dayValue(metric, point.value)}
      </strong>
      {current.pending && <p>Loading deployments…</p>}
      <ErrorMessage error={current.error} />
      {!current.pending && !current.error && current.items.length === 0 && <p>No deployments behind this day.</p>}
      {current.items.length > 0 && (
        <ul className="tooltip-deployments">
          {current.items.map((d) => (
            <li key={d.id}>
              <span>{d.repo_full_name}</span> <RelativeTime iso={d.deployed_at} />{' '}
              <DeploymentResult deployment={d} /> <code>{shortSha(d.commit_sha)}</code>
            </li>
          ))}
        </ul>
      )}
      {current.more && <p>… and more</p>}
    </div>
  );
}

/** A day's figure: deployment frequency counts the day's deploys; the others are the metric's own. */
function dayValue(metric: MetricView, value: number | null): string {
  return metric.key === 'deployment_frequency' ? `${value ?? 0} deploys` : metric.format(value);
}
