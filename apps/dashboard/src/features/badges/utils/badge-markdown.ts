import type { BadgeMetric } from '@dora/domain';

/** What each metric is called in a badge's alt text and the builder's choices. */
export const METRIC_NAMES: Record<BadgeMetric, string> = {
  deployment_frequency: 'Deployment frequency',
  lead_time: 'Lead time',
  change_failure_rate: 'Change failure rate',
  time_to_restore: 'Time to restore',
  rework_rate: 'Rework rate',
};

/** Stands in the snippet for a key that is not known any more (it is shown only when minted). */
export const KEY_PLACEHOLDER = '<your key>';

export interface BadgeChoice {
  metric: BadgeMetric;
  /** owner/name; empty: the whole org. */
  repo: string;
  /** Empty: the API's default, production. */
  environment: string;
}

// "/" may stay as it is in a query string, and acme/web reads better than acme%2Fweb.
const encode = (value: string) => encodeURIComponent(value).replace(/%2F/gi, '/');

/** The badge's URL; without a key, the placeholder stands in its place, as it is, for the reader to replace. */
export function badgeUrl(origin: string, slug: string, choice: BadgeChoice, key: string | undefined): string {
  const params: [string, string][] = [['metric', choice.metric]];
  if (choice.repo.trim()) params.push(['repo', choice.repo.trim()]);
  if (choice.environment.trim()) params.push(['environment', choice.environment.trim()]);
  const query = params.map(([name, value]) => `${name}=${encode(value)}`).join('&');
  return `${origin}/api/v1/orgs/${encodeURIComponent(slug)}/dora/badge.svg?${query}&key=${key ? encode(key) : KEY_PLACEHOLDER}`;
}

/** The Markdown a README shows the badge with: `![Lead time](…/badge.svg?metric=lead_time&key=…)`. */
export function badgeMarkdown(origin: string, slug: string, choice: BadgeChoice, key: string | undefined): string {
  return `![${METRIC_NAMES[choice.metric]}](${badgeUrl(origin, slug, choice, key)})`;
}

/** What the badge shows, in words, for the preview's alt text. */
export function badgeAlt(choice: BadgeChoice): string {
  const scope = choice.repo.trim() || 'the whole org';
  return `${METRIC_NAMES[choice.metric]} badge of ${scope} in ${choice.environment.trim() || 'production'}`;
}
