import type { DoraMetrics } from '@dora/domain';
import { METRICS } from '../utils/metrics';
import { BandBadge } from './band-badge';

export interface BreakdownColumn {
  key: string;
  title: string;
  /** False for a column the API cannot sort by. */
  sortable?: boolean;
}

/** The five metrics and the deploy count, after a breakdown's own columns. */
export const METRIC_COLUMNS: BreakdownColumn[] = [...METRICS.map((metric) => ({ key: metric.key, title: metric.title })), { key: 'deployments', title: 'Deploys' }];

/** A breakdown's header: each sortable column a button that sorts by it, and says how it is sorted. */
export function BreakdownHead({ columns, sort, onSort }: { columns: BreakdownColumn[]; sort: string; onSort: (key: string) => void }) {
  return (
    <thead>
      <tr>
        {columns.map((column) =>
          column.sortable === false ? (
            <th key={column.key} scope="col">
              {column.title}
            </th>
          ) : (
            <th key={column.key} scope="col" aria-sort={sort === column.key ? 'ascending' : sort === `-${column.key}` ? 'descending' : 'none'}>
              <button type="button" onClick={() => onSort(column.key)}>
                {column.title}
                {sort === column.key ? ' ▲' : sort === `-${column.key}` ? ' ▼' : ''}
              </button>
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** A breakdown row's metric cells: each value with its band, then the deploy count. */
export function MetricCells({ metrics }: { metrics: DoraMetrics }) {
  return (
    <>
      {METRICS.map((metric) => (
        <td key={metric.key}>
          {metric.format(metric.value(metrics))} {metric.key !== 'rework_rate' && <BandBadge band={metric.band(metrics)} />}
        </td>
      ))}
      <td>{metrics.change_failure_rate.total}</td>
    </>
  );
}
