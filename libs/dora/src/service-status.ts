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
  /** `/readyz` with a read replica configured: whether the metric reads go there, and why not. */
  read_replica?: ReadReplicaHealth;
}

export interface ReadReplicaHealth {
  state: 'not measured yet' | 'in use' | 'unreachable' | 'not a standby' | 'lagging';
  /** Seconds behind the primary at the last measurement (every 2 s); null when unknown. */
  lag_seconds: number | null;
  max_lag_seconds: number;
}
