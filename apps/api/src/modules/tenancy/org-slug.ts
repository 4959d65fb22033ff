/** Paths at the top of the site that an org slug would shadow (DESIGN §3). */
export const RESERVED_SLUGS = ['api', 'login', 'logout', 'assets', 'healthz', 'readyz', 'metrics', 'docs'];

const SLUG = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** Why a slug cannot name an org, or `undefined` when it can. Slugs are Forgejo org logins, lower-cased. */
export function orgSlugProblem(slug: string): string | undefined {
  if (!SLUG.test(slug)) {
    return `"${slug}" is not a valid org slug: 1-40 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit`;
  }
  if (RESERVED_SLUGS.includes(slug)) return `"${slug}" is reserved: it is a path of the service itself`;
  return undefined;
}
