/** A Forgejo user or org login whose repositories' releases belong to an org (`/api/v1/orgs/{slug}/forgejo-owners`). */
export interface ForgejoOwnerItem {
  /** The login, lower-cased. */
  owner: string;
  created_at: string;
}

export interface MapForgejoOwnerRequest {
  owner: string;
}
