import { ErrorMessage } from '../../../components/error-message';
import { comparisonCsvPath, type TrendScope, useComparison } from '../api/comparison';
import { comparisonRows, PERIOD_TITLES, spanLabel } from '../utils/comparison-rows';
import { TableScroll } from '../../../components/table-scroll';

/** Month to date, last month, the month before and the last 180 days, each against its baseline. */
export function ComparisonTable({ scope }: { scope: TrendScope }) {
  const comparison = useComparison(scope);
  return (
    <section aria-labelledby="comparison-heading">
      <div className="section-title">
        <h2 id="comparison-heading">Compared</h2>
        <a href={comparisonCsvPath(scope)} download>
          Download the comparison (CSV)
        </a>
      </div>
      {comparison.isPending && <p role="status">Loading the comparison…</p>}
      <ErrorMessage error={comparison.error} prefix="Could not load the comparison: " />
      {comparison.data && (
        <TableScroll label="Comparison of the two periods">
          <table className="comparison" aria-labelledby="comparison-heading">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Current</th>
                <th scope="col">Baseline</th>
                <th scope="col">Change</th>
                <th scope="col">Relative</th>
              </tr>
            </thead>
            {comparison.data.periods.map((period) => (
              <tbody key={period.period} data-period={period.period}>
                <tr>
                  <th scope="rowgroup" colSpan={5} className="period">
                    {PERIOD_TITLES[period.period]}{' '}
                    <span className="hint">
                      {spanLabel(period.current, comparison.data.timezone)} vs {spanLabel(period.baseline, comparison.data.timezone)}
                    </span>
                  </th>
                </tr>
                {comparisonRows(period).map((row) => {
                  const tone = row.improved === null ? undefined : row.improved ? 'better' : 'worse';
                  return (
                    <tr key={row.figure} data-figure={row.figure}>
                      <th scope="row">{row.title}</th>
                      <td>{row.current}</td>
                      <td>{row.baseline}</td>
                      <td className={tone}>
                        {row.absolute}
                        {tone && <span className="visually-hidden"> ({tone})</span>}
                      </td>
                      <td className={row.relative === '—' ? undefined : tone}>{row.relative}</td>
                    </tr>
                  );
                })}
              </tbody>
            ))}
          </table>
        </TableScroll>
      )}
    </section>
  );
}
