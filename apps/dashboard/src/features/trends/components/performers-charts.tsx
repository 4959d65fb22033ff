import { BANDED_METRICS, type BandedMetric, type DoraPerformers, type LeadTimeBasis } from '@dora/domain';
import { Bar, BarChart, ResponsiveContainer, Tooltip, type TooltipContentProps, XAxis, YAxis } from 'recharts';
import { ErrorMessage } from '../../../components/error-message';
import { metricByKey } from '../../dora/utils/metrics';
import { type PerformersBy, performersCsvPath, usePerformers } from '../api/performers';
import type { TrendScope } from '../api/comparison';
import { BAND_FILLS } from '../utils/band-colours';
import { monthLabel, type PerformersBar, STACKS, toPerformerBars } from '../utils/performer-bars';
import { SegmentedSwitch } from './segmented-switch';
import { TableScroll } from '../../../components/table-scroll';

const BY: readonly (readonly [PerformersBy, string])[] = [
  ['repo', 'By repo'],
  ['team', 'By team'],
];

/** For each banded metric, how many repos (or teams) were in each band, month by month over six months. */
export function PerformersCharts(props: { scope: TrendScope; by: PerformersBy; onBy: (by: PerformersBy) => void }) {
  const performers = usePerformers(props.scope, props.by);
  return (
    <section aria-labelledby="performers-heading">
      <div className="section-title">
        <h2 id="performers-heading">Performers</h2>
        <SegmentedSwitch label="Count by" options={BY} value={props.by} onChange={props.onBy} />
        <a href={performersCsvPath(props.scope, props.by)} download>
          Download the performers (CSV)
        </a>
      </div>
      {performers.isPending && <p role="status">Loading the performers…</p>}
      <ErrorMessage error={performers.error} prefix="Could not load the performers: " />
      {performers.data && (
        <>
          <p className="hint">
            How many {performers.data.by === 'repo' ? 'repos' : 'teams'} with a deployment in the month were in each band
            {performers.data.by === 'team' && ' (deployments of no team are left out)'}.
          </p>
          <div className="performers" aria-busy={performers.isPlaceholderData}>
            {BANDED_METRICS.map((metric) => (
              <PerformersChart key={metric} performers={performers.data} metric={metric} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function PerformersChart({ performers, metric }: { performers: DoraPerformers; metric: BandedMetric }) {
  const bars = toPerformerBars(performers, metric);
  const title = titleOf(metric, performers.basis);
  const counted = performers.by === 'repo' ? 'repos' : 'teams';
  return (
    <section className="card" aria-label={`${title}, ${counted} per band`} data-metric={metric}>
      <h3>{title}</h3>
      <div className="performers-chart" role="group" aria-label={`${title}: ${counted} in each band, month by month; hover a bar for its counts`}>
        <ResponsiveContainer width="100%" height={160}>
          <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
            <XAxis dataKey="month" tickFormatter={monthLabel} fontSize={12} />
            <YAxis allowDecimals={false} width={32} fontSize={12} />
            {STACKS.map((stack) => (
              <Bar key={stack.key} dataKey={stack.key} name={stack.title} stackId="bands" fill={BAND_FILLS[stack.key]} isAnimationActive={false} />
            ))}
            <Tooltip cursor={{ fill: 'var(--hover)' }} content={<MonthTooltip counted={counted} />} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>The numbers</summary>
        <TableScroll label={`${title}: the numbers`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {STACKS.map((stack) => (
                  <th key={stack.key} scope="col">
                    {stack.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.month}>
                  <th scope="row">
                    <time dateTime={bar.month}>{monthLabel(bar.month)}</time>
                    {bar.partial && ' (partial)'}
                  </th>
                  {STACKS.map((stack) => (
                    <td key={stack.key}>{bar[stack.key]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}

/** A month's bar: its count in each band, best first. */
export function MonthTooltip({ active, payload, counted }: Partial<Pick<TooltipContentProps, 'active' | 'payload'>> & { counted: string }) {
  const bar = active ? (payload?.[0]?.payload as PerformersBar | undefined) : undefined;
  if (!bar) return null;
  return (
    <div className="tooltip" role="status">
      <strong>
        {monthLabel(bar.month)}
        {bar.partial && ' (partial)'}: {bar.counted} {counted}
      </strong>
      <ul>
        {STACKS.map((stack) => (
          <li key={stack.key}>
            {stack.title}: {bar[stack.key]}
          </li>
        ))}
      </ul>
    </div>
  );
}

function titleOf(metric: BandedMetric, basis: LeadTimeBasis): string {
  const title = metricByKey(metric)!.title;
  return metric === 'lead_time' ? `${title} (per ${basis})` : title;
}
