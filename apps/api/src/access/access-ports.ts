import type { Org, SessionPrincipal, TokenPrincipal } from './principals.js';

/**
 * What the access guard needs of the module that owns credentials (auth provides it, globally), so
 * that guarding a route never means importing that module.
 */
export abstract class Credentials {
  /** The principal of a presented API token; `unauthenticated` with the reason when it is not a live one. */
  abstract authenticateToken(secret: string): Promise<TokenPrincipal>;
  /** Reads an org's tokens again at their next use: its token lifetime policy changed. */
  abstract forgetTokensOf(tenantId: string): void;
  /** Notes that a token was used (off the request's path). */
  abstract noteTokenUse(principal: TokenPrincipal): void;
  /** The live session of a request's `Cookie` header, or `undefined`. */
  abstract sessionFromCookie(header: string | undefined): Promise<SessionPrincipal | undefined>;
  /** `forbidden` unless `presented` is the session's CSRF token. */
  abstract checkCsrf(session: SessionPrincipal, presented: string | undefined): void;
  /** Whether `key` is a live badge key of the org (DESIGN §7, "Badge keys"). */
  abstract verifyBadgeKey(tenantId: string, key: string): Promise<boolean>;
}

/** What the access guard needs of the module that owns orgs (tenancy provides it, globally). */
export abstract class OrgLookup {
  /** The org of `slug` if it is the caller's own tenant; another org's slug is the same `not_found` as none. */
  abstract findOwnOrg(tenantId: string, slug: string): Promise<Org>;
  /** The org of `slug` whoever asks, before any tenant is known (a badge's URL names it), or undefined. */
  abstract findPublicOrg(slug: string): Promise<Org | undefined>;
}
