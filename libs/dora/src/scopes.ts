/** What an API token may do (DESIGN §7). */
export const SCOPES = ['findings:write', 'dora:read', 'dora:admin'] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
