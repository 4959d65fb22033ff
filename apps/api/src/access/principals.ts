import type { DoraSettings, Role, Scope } from '@dora/domain';

/** An org as the org-scoped endpoints see it: who it is and its DORA settings. */
export interface Org extends DoraSettings {
  id: string;
  slug: string;
  name: string;
  /** Raised by every change of the org's configuration (a replica read must have replayed it). */
  config_version: number;
}

/** The caller behind a verified API token. */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  tenantId: string;
  name: string;
  scopes: Scope[];
}

/** A user's membership, with what an org-scoped request needs of the org. */
export interface Membership extends DoraSettings {
  tenant_id: string;
  slug: string;
  name: string;
  role: Role;
  config_version: number;
}

/** A signed-in user, from a session cookie. */
export interface SessionPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  sessionId: string;
  csrfToken: string;
  memberships: Membership[];
}

export type Principal = TokenPrincipal | SessionPrincipal;

/** Who did something, for the audit log: an API token, a signed-in user, a webhook, or the service itself (operator CLI, first start). */
export type Actor =
  | { type: 'token'; id: string }
  | { type: 'user'; id: string }
  | { type: 'webhook'; id: string }
  | { type: 'system'; id: 'cli' | 'first-start' | 'token-exchange' };

/** An org's settings as the API answers them. */
export function settingsOf(org: DoraSettings): DoraSettings {
  return { window_days: org.window_days, timezone: org.timezone, lead_time_basis: org.lead_time_basis, max_token_lifetime_days: org.max_token_lifetime_days };
}
