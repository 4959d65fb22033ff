import { scopeSearch } from '../../dora/utils/scope-params';
import type { MetricView } from '../../dora/utils/metrics';
import type { TrendPoint } from './trend-points';

/**
 * The Deployments page narrowed to the deployments behind a point: its scope, its period, and only the
 * deployments the metric counts. The page's From and To are the browser's local date-times; a period
 * not over yet is left open, so that deployments arriving since still show.
 */
export function deploymentsHref(slug: string, scope: { environment: string; team?: string }, metric: MetricView, point: Pick<TrendPoint, 'from' | 'to' | 'partial'>): string {
  const params = new URLSearchParams(scopeSearch(scope).replace(/^\?/, ''));
  for (const [name, value] of Object.entries(metric.behind)) params.set(name, String(value));
  params.set('from', localDateTime(point.from));
  if (!point.partial) params.set('to', localDateTime(point.to));
  return `/${slug}/_admin/dora/deployments?${params}`;
}

/** An instant as a `datetime-local` input holds it, in the browser's time zone: YYYY-MM-DDTHH:mm, with seconds when it has them. */
export function localDateTime(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const minutes = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  if (at.getSeconds() === 0 && at.getMilliseconds() === 0) return minutes;
  return `${minutes}:${two(at.getSeconds())}${at.getMilliseconds() === 0 ? '' : `.${String(at.getMilliseconds()).padStart(3, '0')}`}`;
}
