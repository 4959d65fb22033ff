import type { Role } from './scopes.js';

/** `GET /api/v1/auth/me` and the answer of a sign-in. */
export interface Me {
  user: {
    /** @format uuid */
    id: string;
    email: string;
  };
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
  /** @format uuid */
  id: string;
  name: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  scopes: string[];
  origin: 'minted' | 'exchanged';
  created_by: {
    /** @format uuid */
    id: string;
    email: string | null;
  } | null;
  issuer: string | null;
  subject: string | null;
  /** @format date-time */
  expires_at: string | null;
  /** @format date-time */
  last_used_at: string | null;
  /** @format date-time */
  revoked_at: string | null;
  /** @format date-time */
  created_at: string;
  /** Its expiry is later than the org's max_token_lifetime_days allows: the policy stops it earlier, at `stops_at`. */
  exceeds_policy: boolean;
  /**
   * When it stops working: the earlier of its expiry and the lifetime policy's cap; `null` for never.
   * @format date-time
   */
  stops_at: string | null;
  /** It is live and stops working within 14 days: replace (rotate) it before it breaks a pipeline. */
  expires_soon: boolean;
  /**
   * The token that replaced it by rotation, if any (it then works until the end of the grace period).
   * @format uuid
   */
  replaced_by: string | null;
}

/** `GET /api/v1/orgs/{slug}/tokens`: the org's API tokens. */
export interface ApiTokenList {
  items: ApiTokenItem[];
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
  /** `ffp_…`: shown this once. */
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

/** The answer of revoking a token (`DELETE /api/v1/orgs/{slug}/tokens/{id}`). */
export interface RevokedToken {
  /** @format uuid */
  id: string;
  /** @format date-time */
  revoked_at: string;
}

/** An issuer an org trusts for token exchange (RFC 8693). */
export interface IdentityProviderItem {
  /** @format uuid */
  id: string;
  issuer: string;
  jwks_uri: string | null;
  /** Whether the keys are given inline instead of by URL. */
  inline_jwks: boolean;
  audience: string;
  /** Claim name → exact value or glob pattern (`*`, `?`), all of which must match. */
  required_claims: Record<string, string>;
  allowed_scopes: string[];
  /** @asType integer */
  max_ttl_seconds: number;
  /** Trusted without any required claim: every workload of the issuer may report into the org. */
  allow_any_subject: boolean;
  /** @format date-time */
  created_at: string;
}

/** `GET /api/v1/orgs/{slug}/identity-providers`: the issuers the org trusts. */
export interface IdentityProviderList {
  items: IdentityProviderItem[];
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
  /**
   * Seconds.
   * @asType integer
   */
  expires_in: number;
  scope: string;
}

/** The `error` codes of the token endpoint (RFC 6749 §5.2, RFC 8693 §2.2.2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_grant_type'
  | 'temporarily_unavailable'
  | 'server_error';

/** The error body of `POST /api/v1/auth/token-exchange` (RFC 6749 §5.2), not the service's `ApiErrorBody`. */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}
