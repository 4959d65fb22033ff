import type { Role } from './scopes.js';

/** `GET /api/v1/auth/me` and the answer of a sign-in. */
export interface Me {
  user: { id: string; email: string };
  orgs: { slug: string; name: string; role: Role }[];
  /** Send it as `X-CSRF-Token` with every request that changes something. */
  csrf_token: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

/** An org's API token as its admins see it (never its secret). */
export interface ApiTokenItem {
  id: string;
  name: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  scopes: string[];
  origin: 'minted' | 'exchanged';
  created_by: { id: string; email: string | null } | null;
  issuer: string | null;
  subject: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
  /** Its expiry is later than the org's max_token_lifetime_days allows: the policy stops it earlier, at `stops_at`. */
  exceeds_policy: boolean;
  /** When it stops working: the earlier of its expiry and the lifetime policy's cap; `null` for never. */
  stops_at: string | null;
  /** It is live and stops working within 14 days: replace (rotate) it before it breaks a pipeline. */
  expires_soon: boolean;
  /** The token that replaced it by rotation, if any (it then works until the end of the grace period). */
  replaced_by: string | null;
}

export interface MintTokenRequest {
  name: string;
  scopes: string[];
  /** Days until it expires; `null` or absent for no expiry. */
  expires_in_days?: number | null;
}

/** The answer of minting: the secret is in it once and never again. */
export interface MintedToken {
  token: ApiTokenItem;
  secret: string;
}

/** `POST /api/v1/orgs/{slug}/tokens/{id}/rotate`: a new secret under the same name, scopes and lifetime rule. */
export interface RotateTokenRequest {
  /** How long the old secret keeps working, in hours (0–720); default 24. */
  grace_hours?: number;
}

/** The answer of a rotation: the new token (its secret once) and the old one, now ending with the grace period. */
export interface RotatedToken extends MintedToken {
  previous: ApiTokenItem;
}

/** An issuer an org trusts for token exchange (RFC 8693). */
export interface IdentityProviderItem {
  id: string;
  issuer: string;
  jwks_uri: string | null;
  /** Whether the keys are given inline instead of by URL. */
  inline_jwks: boolean;
  audience: string;
  /** Claim name → exact value or glob pattern (`*`, `?`), all of which must match. */
  required_claims: Record<string, string>;
  allowed_scopes: string[];
  max_ttl_seconds: number;
  /** Trusted without any required claim: every workload of the issuer may report into the org. */
  allow_any_subject: boolean;
  created_at: string;
}

export interface CreateIdentityProviderRequest {
  issuer: string;
  jwks_uri?: string;
  jwks?: { keys: Record<string, unknown>[] };
  audience: string;
  required_claims?: Record<string, string>;
  allowed_scopes?: string[];
  max_ttl_seconds?: number;
  /** Required to trust an issuer with no required claims (every subject of the issuer). */
  allow_any_subject?: boolean;
}

/** The answer of `POST /api/v1/auth/token-exchange` (RFC 8693 §2.2.1). */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token';
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}
