/** The metrics a badge can show (DESIGN §7, "Badge keys"). */
export const BADGE_METRICS = ['deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore', 'rework_rate'] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];

/** An org's badge key, never its secret. */
export interface BadgeKeyItem {
  /** @format uuid */
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  /** @format date-time */
  created_at: string;
  /** @format date-time */
  revoked_at: string | null;
}

export interface BadgeKeyList {
  items: BadgeKeyItem[];
}

/** `POST /api/v1/orgs/{slug}/badge-keys`: the key, in this answer only. */
export interface MintedBadgeKey {
  badge_key: BadgeKeyItem;
  /** Goes in a badge's URL as `key=`: shows the org's badges, and nothing else. */
  key: string;
}

export interface MintBadgeKeyRequest {
  name: string;
}
