import { Link } from 'react-router';
import { useSettings } from '../../settings/api/settings';
import { useSummary } from '../api/summary';
import { orgSentence } from '../utils/org-sentence';

/** The org in one line above the cards; its worst metric links to that metric's breakdown, worst repos first. */
export function OrgSummary(props: { slug: string; environment: string; window?: number; team?: string; reposHref: (metricKey: string) => string }) {
  const summary = useSummary(props);
  const settings = useSettings(props.slug);
  // The cards below say what went wrong.
  if (summary.isError) return null;
  if (summary.isPending || settings.isPending) {
    return (
      <p className="org-summary" aria-busy="true">
        <span className="skeleton org-summary-skeleton" />
      </p>
    );
  }
  // Without the settings, the product's published definition leads (as on the cards).
  const sentence = orgSentence(summary.data, settings.data?.lead_time_basis ?? 'deployment');
  return (
    <p className="org-summary">
      {sentence.parts.map((part, i) =>
        part.metric ? (
          <Link key={i} to={props.reposHref(part.metric)}>
            {part.text}
          </Link>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </p>
  );
}
