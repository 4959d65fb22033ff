import type { DoraSeries } from '@dora/domain';
import type { MetricView } from './metrics';

export interface ChartPoint {
  date: string;
  from: string;
  to: string;
  /** `null` draws a gap: a day without the data this metric needs. */
  value: number | null;
}

/** A day of the chart: its date and the instants it spans. */
export type ChartDay = Pick<ChartPoint, 'date' | 'from' | 'to'>;

/** A series' daily points as one metric's sparkline. */
export function toChartPoints(series: DoraSeries, metric: MetricView): ChartPoint[] {
  return series.points.map((point) => ({ date: point.date, from: point.from, to: point.to, value: metric.value(point) }));
}
