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
  /** It lives longer than the org's max_token_lifetime_days allows (minted before that policy). */
  exceeds_policy: boolean;
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
}

/** The answer of `POST /api/v1/auth/token-exchange` (RFC 8693 §2.2.1). */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token';
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}
