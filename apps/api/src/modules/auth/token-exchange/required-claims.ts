/**
 * An org's required claims: each claim must be present and match its pattern — an exact value, or a
 * glob where `*` matches any run of characters (slashes included) and `?` one character.
 * Answers the first claim that does not match, or `undefined` when all do.
 */
export function firstUnmetClaim(required: Record<string, string>, claims: Record<string, unknown>): string | undefined {
  for (const [name, pattern] of Object.entries(required)) {
    const value = claims[name];
    if (!['string', 'number', 'boolean'].includes(typeof value) || !globToRegExp(pattern).test(String(value))) return name;
  }
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}
