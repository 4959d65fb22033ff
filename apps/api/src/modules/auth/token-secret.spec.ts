import { describe, expect, it } from '@jest/globals';
import { generateTokenSecret, hashTokenSecret, prefixOf, secretMatchesHash } from './token-secret.js';

describe('API token secrets', () => {
  it('are ffp_ and 40 base62 characters, with a 12-character prefix and a SHA-256 hash', () => {
    const { secret, prefix, hash } = generateTokenSecret();
    expect(secret).toMatch(/^ffp_[0-9A-Za-z]{40}$/);
    expect(prefix).toBe(secret.slice(0, 12));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashTokenSecret(secret));
    expect(hash).not.toContain(secret.slice(4));
  });

  it('are different every time', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateTokenSecret().secret));
    expect(secrets.size).toBe(1000);
  });

  it('match their own hash only', () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(secretMatchesHash(a.secret, a.hash)).toBe(true);
    expect(secretMatchesHash(a.secret, b.hash)).toBe(false);
    expect(secretMatchesHash(a.secret, 'abcd')).toBe(false);
  });

  it('have a lookup prefix only when they have our shape', () => {
    const { secret, prefix } = generateTokenSecret();
    expect(prefixOf(secret)).toBe(prefix);
    for (const notOurs of ['', 'ffp_', `ffp_${'a'.repeat(39)}`, `ffp_${'a'.repeat(41)}`, `ghp_${'a'.repeat(40)}`, `ffp_${'-'.repeat(40)}`]) {
      expect(prefixOf(notOurs)).toBeUndefined();
    }
  });

  it('come as badge keys too (fbk_), which are never taken for an API token, nor the other way round', () => {
    const badge = generateTokenSecret('fbk_');
    expect(badge.secret).toMatch(/^fbk_[0-9A-Za-z]{40}$/);
    expect(prefixOf(badge.secret, 'fbk_')).toBe(badge.prefix);
    expect(prefixOf(badge.secret)).toBeUndefined();
    expect(prefixOf(generateTokenSecret().secret, 'fbk_')).toBeUndefined();
  });
});
