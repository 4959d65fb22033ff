/** A Forgejo user or org login whose repositories' releases belong to an org (`/api/v1/orgs/{slug}/forgejo-owners`). */
export interface ForgejoOwnerItem {
  /** The login, lower-cased. */
  owner: string;
  /** @format date-time */
  created_at: string;
}

/** `GET /api/v1/orgs/{slug}/forgejo-owners`: the Forgejo owners mapped to the org. */
export interface ForgejoOwnerList {
  items: ForgejoOwnerItem[];
}

export interface MapForgejoOwnerRequest {
  owner: string;
}
