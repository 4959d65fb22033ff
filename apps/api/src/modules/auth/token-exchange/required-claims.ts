import { Glob } from '@dora/domain';

/** A claim value longer than this never matches: real CI claims are a few hundred characters at most. */
export const MAX_CLAIM_VALUE_LENGTH = 1024;

/**
 * An org's required claims: each claim must be present and match its pattern — an exact value, or a
 * glob where `*` matches any run of characters (slashes included) and `?` one character.
 * Answers the first claim that does not match, or `undefined` when all do.
 */
export function firstUnmetClaim(required: Record<string, string>, claims: Record<string, unknown>): string | undefined {
  for (const [name, pattern] of Object.entries(required)) {
    const value = claims[name];
    if (!['string', 'number', 'boolean'].includes(typeof value)) return name;
    const text = String(value);
    if (text.length > MAX_CLAIM_VALUE_LENGTH || !new Glob(pattern).matches(text)) return name;
  }
  return undefined;
}
