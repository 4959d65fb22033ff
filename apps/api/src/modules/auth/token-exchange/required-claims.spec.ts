import { describe, expect, it } from '@jest/globals';
import { firstUnmetClaim } from './required-claims.js';

describe('firstUnmetClaim', () => {
  const claims = { repository_owner: 'acme', repository: 'acme/web', ref: 'refs/heads/main', run_number: 42, private: true };

  it('accepts exact values and globs, for strings, numbers and booleans', () => {
    expect(firstUnmetClaim({ repository_owner: 'acme', ref: 'refs/heads/*', repository: 'acme/w?b', run_number: '42', private: 'true' }, claims)).toBeUndefined();
    expect(firstUnmetClaim({}, claims)).toBeUndefined();
  });

  it('names the first claim that is missing or does not match', () => {
    expect(firstUnmetClaim({ repository_owner: 'acme', ref: 'refs/tags/*' }, claims)).toBe('ref');
    expect(firstUnmetClaim({ environment: 'production' }, claims)).toBe('environment');
    expect(firstUnmetClaim({ repository_owner: 'acm' }, claims)).toBe('repository_owner');
    expect(firstUnmetClaim({ repository_owner: 'ACME' }, claims)).toBe('repository_owner');
  });

  it('treats regular-expression characters literally and does not match objects', () => {
    expect(firstUnmetClaim({ repository: 'acme.web' }, { repository: 'acmeXweb' })).toBe('repository');
    expect(firstUnmetClaim({ repository: '(acme)|.*' }, { repository: 'anything' })).toBe('repository');
    expect(firstUnmetClaim({ nested: '*' }, { nested: { a: 1 } })).toBe('nested');
  });
});
