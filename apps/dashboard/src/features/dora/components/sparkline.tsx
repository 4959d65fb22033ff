import type { DoraSeries } from '@dora/domain';
import { Line, LineChart, ResponsiveContainer, Tooltip, type TooltipContentProps } from 'recharts';
import { formatDateTime, shortSha } from '../../../lib/format';
import { useDeployments } from '../api/deployments';
import type { MetricView } from '../utils/metrics';
import { type ChartPoint, toChartPoints } from '../utils/series-points';

interface Props {
  slug: string;
  environment: string;
  repo?: string;
  series: DoraSeries;
  metric: MetricView;
}

/** A metric's last 30 days; hovering (or the arrow keys, once focused) shows a day and the deployments behind it. */
export function Sparkline({ slug, environment, repo, series, metric }: Props) {
  const points = toChartPoints(series, metric);
  return (
    <div className="sparkline" aria-label={`${metric.title}, last ${points.length} days: focus and use the arrow keys for each day`}>
      <ResponsiveContainer width="100%" height={56}>
        <LineChart data={points} margin={{ top: 6, right: 6, bottom: 6, left: 6 }} accessibilityLayer>
          <Line type="monotone" dataKey="value" stroke="currentColor" strokeWidth={2} dot={{ r: 2 }} activeDot={{ r: 4 }} isAnimationActive={false} connectNulls={false} />
          <Tooltip
            cursor={false}
            allowEscapeViewBox={{ x: false, y: true }}
            wrapperStyle={{ zIndex: 10, pointerEvents: 'auto' }}
            content={(props: TooltipContentProps) => <DayTooltip {...props} slug={slug} environment={environment} repo={repo} metric={metric} />}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function DayTooltip({ active, payload, slug, environment, repo, metric }: TooltipContentProps & Omit<Props, 'series'>) {
  const point = payload?.[0]?.payload as ChartPoint | undefined;
  const deployments = useDeployments(
    slug,
    { environment, repo, from: point?.from, to: point?.to, ...metric.behind },
    { limit: 10, enabled: Boolean(active && point) },
  );
  if (!active || !point) return null;
  const items = deployments.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="tooltip" role="status">
      <strong>
        {point.date}: {metric.key === 'deployment_frequency' ? `${point.value ?? 0} deploys` : metric.format(point.value)}
      </strong>
      {deployments.isPending && <p>Loading deployments…</p>}
      {deployments.isError && <p className="error">{deployments.error.message}</p>}
      {deployments.isSuccess && items.length === 0 && <p>No deployments behind this day.</p>}
      {items.length > 0 && (
        <ul className="tooltip-deployments">
          {items.map((d) => (
            <li key={d.id}>
              <span>{d.repo_full_name}</span> <time dateTime={d.deployed_at}>{formatDateTime(d.deployed_at)}</time>{' '}
              <span className={d.success ? 'ok' : 'error'}>{d.success ? 'success' : 'failed'}</span>
              {d.is_rework && <span> · rework</span>} <code>{shortSha(d.commit_sha)}</code>
            </li>
          ))}
        </ul>
      )}
      {deployments.hasNextPage && <p>… and more</p>}
    </div>
  );
}
