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
