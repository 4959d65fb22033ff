import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Glob, MAX_GLOB_LENGTH } from './glob.js';

/** The plain definition, for short inputs only: the backtracking regular expression the matcher replaces. */
function reference(pattern: string, value: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'su').test(value);
}

describe('Glob', () => {
  it.each([
    ['acme', 'acme', true],
    ['acme', 'acm', false],
    ['acme', 'ACME', false],
    ['refs/heads/*', 'refs/heads/main', true],
    ['refs/heads/*', 'refs/heads/feature/x', true],
    ['refs/heads/*', 'refs/tags/v1', false],
    ['acme/w?b', 'acme/web', true],
    ['acme/w?b', 'acme/wb', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a**b', 'ab', true],
    ['*a*', 'bab', true],
    ['a.b', 'aXb', false],
    ['(acme)|.*', 'anything', false],
    ['ü?*', 'üß€x', true],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(new Glob(pattern).matches(value)).toBe(expected);
  });

  it('agrees with the regular-expression definition on random patterns and values', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '.', '*', '?', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), fc.array(fc.constantFrom('a', 'b', '/', '.', 'é', '*'), { maxLength: 16 }), (p, v) => {
        const pattern = p.join('');
        const value = v.join('');
        expect(new Glob(pattern).matches(value)).toBe(reference(pattern, value));
      }),
      { numRuns: 3000, seed: 1010 },
    );
  });

  it('works across the 32-bit words of long patterns', () => {
    const long = `${'a?'.repeat(60)}*${'b'.repeat(70)}`;
    expect(new Glob(long).matches(`${'ax'.repeat(60)}zzz${'b'.repeat(70)}`)).toBe(true);
    expect(new Glob(long).matches(`${'ax'.repeat(60)}zzz${'b'.repeat(69)}`)).toBe(false);
  });

  it('answers adversarial patterns against 10 kB values (a backtracking regex would not return)', () => {
    const value = 'a'.repeat(10_000);
    for (const pattern of ['*a*a*a*a*a*a*!', `${'*a'.repeat(100)}*!`, `*${'a'.repeat(200)}b`, `${'?*'.repeat(120)}!`]) {
      expect(new Glob(pattern).matches(value)).toBe(false);
      expect(new Glob(pattern).matches(`${value}!`)).toBe(!pattern.endsWith('b'));
    }
  });

  it(`refuses patterns longer than ${MAX_GLOB_LENGTH} characters`, () => {
    expect(() => new Glob('a'.repeat(MAX_GLOB_LENGTH + 1))).toThrow(RangeError);
    expect(new Glob('a'.repeat(MAX_GLOB_LENGTH)).matches('a'.repeat(MAX_GLOB_LENGTH))).toBe(true);
  });
});
