/** What an API token may do (DESIGN §7). */
export const SCOPES = ['findings:write', 'dora:read', 'dora:admin'] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export type Role = 'admin' | 'viewer';

/** What a signed-in member may do in an org: viewers read, admins also change settings and tokens. */
export function scopesOfRole(role: Role): Scope[] {
  return role === 'admin' ? ['dora:read', 'dora:admin'] : ['dora:read'];
}
