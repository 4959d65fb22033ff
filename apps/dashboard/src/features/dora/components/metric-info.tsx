import type { DoraMetrics } from '@dora/domain';
import type { MetricView } from '../utils/metrics';

/**
 * The exact definition of a metric and what was left out of this number: a disclosure, usable by keyboard.
 * With a second way of counting (lead time), it says which definition is the headline and which the second line.
 */
export function MetricInfo({ metric, second, metrics }: { metric: MetricView; second?: MetricView; metrics: DoraMetrics }) {
  return (
    <details className="info">
      <summary aria-label={`How ${metric.title.toLowerCase()} is computed`}>i</summary>
      <div className="info-body">
        {second ? (
          <>
            <Definition heading={`The headline, ${metric.basis}`} metric={metric} metrics={metrics} />
            <Definition heading={`The second line, ${second.basis}`} metric={second} metrics={metrics} />
            <p>The org's settings choose which of the two leads.</p>
          </>
        ) : (
          <Definition metric={metric} metrics={metrics} />
        )}
      </div>
    </details>
  );
}

function Definition({ heading, metric, metrics }: { heading?: string; metric: MetricView; metrics: DoraMetrics }) {
  const excluded = metric.exclusions(metrics);
  return (
    <>
      <p>
        {heading && <strong>{heading}: </strong>}
        {metric.definition}
      </p>
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
    </>
  );
}
