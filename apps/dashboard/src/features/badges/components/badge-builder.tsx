import { BADGE_METRICS, type BadgeMetric } from '@dora/domain';
import { useId, useState } from 'react';
import { useEnvironments } from '../../dora/api/deployments';
import { type BadgeChoice, badgeAlt, badgeMarkdown, badgeUrl, KEY_PLACEHOLDER, METRIC_NAMES } from '../utils/badge-markdown';
import { CopyButton } from '../../../components/copy-button';

/**
 * The Markdown of a badge for a README: a metric, a repository (or the whole org) and an environment. The key
 * is known only right after minting; otherwise the snippet holds a placeholder and there is nothing to preview.
 */
export function BadgeBuilder({ slug, badgeKey }: { slug: string; badgeKey: string | undefined }) {
  const id = useId();
  const environments = useEnvironments(slug);
  const [choice, setChoice] = useState<BadgeChoice>({ metric: 'lead_time', repo: '', environment: 'production' });
  const choose = (change: Partial<BadgeChoice>) => setChoice({ ...choice, ...change });
  const origin = window.location.origin;
  const markdown = badgeMarkdown(origin, slug, choice, badgeKey);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Badge builder</h2>
      <div className="filters">
        <label>
          Metric
          <select value={choice.metric} onChange={(e) => choose({ metric: e.target.value as BadgeMetric })}>
            {BADGE_METRICS.map((metric) => (
              <option key={metric} value={metric}>
                {METRIC_NAMES[metric]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repository
          <input value={choice.repo} onChange={(e) => choose({ repo: e.target.value })} placeholder="owner/name" aria-describedby={`${id}-repo-hint`} />
        </label>
        <label>
          Environment
          <input list={`${id}-environments`} value={choice.environment} onChange={(e) => choose({ environment: e.target.value })} placeholder="production" />
          <datalist id={`${id}-environments`}>
            {environments.data?.items.map((item) => (
              <option key={item.environment} value={item.environment} />
            ))}
          </datalist>
        </label>
      </div>
      <p id={`${id}-repo-hint`} className="hint">
        Repository: owner/name, as the deployments name it; empty for the whole org. The badge counts over the org’s default window.
      </p>
      <h3>Markdown</h3>
      <pre className="wrap">
        <code data-testid="badge-markdown">{markdown}</code>
      </pre>
      <p>
        <CopyButton text={markdown} label="Copy Markdown" />
      </p>
      {badgeKey ? (
        <>
          <h3>Preview</h3>
          <BadgePreview key={badgeUrl(origin, slug, choice, badgeKey)} src={badgeUrl(origin, slug, choice, badgeKey)} alt={badgeAlt(choice)} />
        </>
      ) : (
        <p className="hint">
          Replace {KEY_PLACEHOLDER} with a badge key of this org. A key is shown only when it is minted: mint one above to have it filled in and see the badge here.
        </p>
      )}
    </section>
  );
}

/** The badge as a README will show it; a new `key` (the URL) starts it afresh. */
function BadgePreview({ src, alt }: { src: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <p className="error">The badge did not load: check the repository (owner/name) and the environment.</p>;
  return (
    <p>
      <img src={src} alt={alt} onError={() => setFailed(true)} />
    </p>
  );
}
