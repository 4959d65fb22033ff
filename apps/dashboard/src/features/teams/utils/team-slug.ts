import { teamSlugProblem } from '@dora/domain';

/** A slug to offer for a team's name: "Payments & Billing" → "payments-billing"; empty when nothing usable is left. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return teamSlugProblem(slug) === null ? slug : '';
}
