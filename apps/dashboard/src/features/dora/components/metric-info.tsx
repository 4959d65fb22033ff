import type { DoraMetrics } from '@dora/domain';
import type { MetricView } from '../utils/metrics';

/** The exact definition of a metric and what was left out of this number: a disclosure, usable by keyboard. */
export function MetricInfo({ metric, metrics }: { metric: MetricView; metrics: DoraMetrics }) {
  const excluded = metric.exclusions(metrics);
  return (
    <details className="info">
      <summary aria-label={`How ${metric.title.toLowerCase()} is computed`}>i</summary>
      <div className="info-body">
        <p>{metric.definition}</p>
        {excluded.length > 0 && (
          <>
            <p>Left out:</p>
            <ul>
              {excluded.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </details>
  );
}
