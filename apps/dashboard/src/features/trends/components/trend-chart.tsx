import type { SeriesInterval } from '@dora/domain';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, type TooltipContentProps, XAxis, YAxis } from 'recharts';
import { BandBadge } from '../../dora/components/band-badge';
import type { MetricView } from '../../dora/utils/metrics';
import { BAND_BACKGROUNDS } from '../utils/band-colours';
import { axisTick, periodLabel, periodsLabel, periodTick, type TrendPoint } from '../utils/trend-points';
import { TableScroll } from '../../../components/table-scroll';

interface Props {
  metric: MetricView;
  points: TrendPoint[];
  interval: SeriesInterval;
  /** Where the deployments behind a point are listed. */
  hrefOf: (point: TrendPoint) => string;
  /** The metric the page was opened for: marked, and scrolled to. */
  highlighted: boolean;
}

/** One metric over the periods: each point's band as its background; hover (or focus and the arrow keys) tells a point, a click (or Enter) opens its deployments. */
export function TrendChart({ metric, points, interval, hrefOf, highlighted }: Props) {
  const navigate = useNavigate();
  const section = useRef<HTMLElement>(null);
  const [shown, setShown] = useState<string | null>(null);
  const title = metric.basis ? `${metric.title} (${metric.basis})` : metric.title;
  const banded = metric.key !== 'rework_rate';
  useEffect(() => {
    if (highlighted) section.current?.scrollIntoView?.({ block: 'start' });
  }, [highlighted]);
  const open = () => {
    const point = points.find((p) => p.date === shown);
    if (point) void navigate(hrefOf(point));
  };
  return (
    <section ref={section} className={highlighted ? 'card trend highlighted' : 'card trend'} aria-label={title} data-metric={metric.key}>
      <h2>{title}</h2>
      <div
        className="trend-chart"
        role="group"
        aria-label={`${title}, last ${periodsLabel(points.length, interval)}: hover, or focus and use the arrow keys, for each ${interval}; click or press Enter for its deployments`}
        onClick={open}
        onKeyDown={(e) => e.key === 'Enter' && open()}
      >
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
            {banded &&
              points.map((p) => <ReferenceArea key={p.date} x1={p.date} x2={p.date} fill={BAND_BACKGROUNDS[p.band ?? 'no_data']} fillOpacity={1} ifOverflow="visible" />)}
            <XAxis dataKey="date" scale="band" tickFormatter={(date: string) => periodTick(date, interval)} minTickGap={16} fontSize={12} />
            {/* From 0, and 0 to 1 (a deploy a day, 100 %) when there is nothing but 0. */}
            <YAxis tickFormatter={axisTick(metric, points)} domain={[0, (largest: number) => (largest > 0 ? largest : 1)]} width={72} fontSize={12} />
            <Line type="linear" dataKey="value" stroke="currentColor" strokeWidth={2} dot={{ r: 2 }} activeDot={{ r: 5 }} isAnimationActive={false} connectNulls={false} />
            <Tooltip cursor={false} content={<PointTooltip metric={metric} interval={interval} onShown={setShown} />} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {points.every((p) => p.value === null) && <p className="hint">Nothing to measure in these {periodsLabel(points.length, interval)}.</p>}
      <details>
        <summary>The numbers</summary>
        <TableScroll label={`${title}: the numbers`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{interval === 'day' ? 'Day' : interval === 'week' ? 'Week' : 'Month'}</th>
                <th scope="col">Value</th>
                {banded && <th scope="col">Band</th>}
                <th scope="col">Sample</th>
                <th scope="col">Deployments</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.date}>
                  <th scope="row">
                    <time dateTime={p.date}>{periodLabel(p.date, interval)}</time>
                    {p.partial && ' (partial)'}
                  </th>
                  <td>{metric.format(p.value)}</td>
                  {banded && (
                    <td>
                      <BandBadge band={p.band} />
                    </td>
                  )}
                  <td>{p.sample}</td>
                  <td>
                    <Link to={hrefOf(p)} aria-label={`Deployments behind ${periodLabel(p.date, interval)}`}>
                      Deployments
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}

type PointTooltipProps = Partial<Pick<TooltipContentProps, 'active' | 'payload'>> & {
  metric: MetricView;
  interval: SeriesInterval;
  /** Told which point (by its date) is shown, and `null` once none is. */
  onShown: (date: string | null) => void;
};

/** One point: its period, value, band and sample, and whether the period is over. */
export function PointTooltip({ active, payload, metric, interval, onShown }: PointTooltipProps) {
  const point = active ? (payload?.[0]?.payload as TrendPoint | undefined) : undefined;
  const date = point?.date ?? null;
  useEffect(() => onShown(date), [date, onShown]);
  if (!point) return null;
  return (
    <div className="tooltip" role="status">
      <strong>
        {periodLabel(point.date, interval)}
        {point.partial && ' (partial)'}
      </strong>
      <p>
        {metric.format(point.value)}
        {metric.key !== 'rework_rate' && (
          <>
            {' '}
            <BandBadge band={point.band} />
          </>
        )}
      </p>
      <p>{point.sample}</p>
      {point.partial && <p className="hint">Not over yet: counted up to now.</p>}
      <p className="hint">Click for the deployments behind it.</p>
    </div>
  );
}
