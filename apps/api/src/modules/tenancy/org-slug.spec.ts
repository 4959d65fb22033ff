import { describe, expect, it } from '@jest/globals';
import { orgSlugProblem, RESERVED_SLUGS } from './org-slug.js';

describe('orgSlugProblem', () => {
  it.each(['acme', 'a', '0rg', 'my-org', 'my_org', 'my.org', 'a'.repeat(40)])('accepts %s', (slug) => {
    expect(orgSlugProblem(slug)).toBeUndefined();
  });

  it.each(['', 'Acme', '-acme', '.acme', '_acme', 'a'.repeat(41), 'ac me', 'acme/web', 'äcme'])('refuses %j', (slug) => {
    expect(orgSlugProblem(slug)).toMatch(/not a valid org slug/);
  });

  it.each(RESERVED_SLUGS)('refuses the reserved %s', (slug) => {
    expect(orgSlugProblem(slug)).toMatch(/reserved/);
  });
});
