/** The org a browser last opened, so the landing page can offer it again (the org list is not public). */

const KEY = 'dora.lastOrg';

/** The API's rule for org slugs (Forgejo org logins, lower-cased). */
const SLUG = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** What someone typed as a slug, the way the API spells slugs. */
export function normaliseSlug(input: string): string {
  return input.trim().toLowerCase();
}

/** Why a (normalised) slug cannot name an org, in words; `undefined` when it can. */
export function slugProblem(slug: string): string | undefined {
  if (SLUG.test(slug)) return undefined;
  if (slug === '') return 'Enter the slug of your organisation, e.g. acme.';
  if (slug.length > 40) return `A slug has at most 40 characters; this one has ${slug.length}.`;
  if (!/^[a-z0-9]/.test(slug)) return 'A slug starts with a letter (a–z) or a digit.';
  const wrong = [...new Set(slug.replace(/[a-z0-9._-]/g, ''))].map((c) => (c === ' ' ? 'space' : `“${c}”`));
  return `A slug has only letters a–z, digits, “.”, “_” and “-”; not ${wrong.join(', ')}.`;
}

/** The slug remembered in this browser, if it is still a valid one. */
export function lastOrg(): string | undefined {
  try {
    const slug = localStorage.getItem(KEY);
    return slug !== null && slugProblem(slug) === undefined ? slug : undefined;
  } catch {
    return undefined; // storage disabled: nothing remembered
  }
}

export function rememberOrg(slug: string): void {
  try {
    localStorage.setItem(KEY, slug);
  } catch {
    // storage disabled or full: the landing page just asks again
  }
}
