/** `GET /api/v1/status`: what the landing page shows before anyone signs in. */
export interface ServiceStatus {
  status: 'ok';
  version: string;
  database: 'postgresql' | 'embedded';
  /** The orgs, only when the operator made the directory public (`PUBLIC_ORG_DIRECTORY=true`). */
  orgs?: { slug: string; name: string }[];
}

/** `GET /healthz` (`ok`: the process is up) and `GET /readyz` (`ready`: its database answers). */
export interface HealthStatus {
  status: 'ok' | 'ready';
}
