/** Body of `POST /api/v1/dora/deployments` (DESIGN §5). Timestamps are RFC 3339 with a zone. */
export interface DeploymentInput {
  repo_full_name: string;
  environment: string;
  deployed_at: string;
  commit_sha?: string;
  committed_at?: string;
  success?: boolean;
  is_rework?: boolean;
  external_ref?: string;
}

/** Answer of the ingest endpoint: 201 for a new row, 200 with `deduped: true` for a replay. */
export interface IngestedDeployment {
  id: string;
  tenant_id: string;
  repo_full_name: string;
  environment: string;
  deployed_at: string;
  deduped: boolean;
}

export type DeploymentSource = 'api' | 'forgejo';

/** A Forgejo delivery as an org's admins see it. */
export interface DeliveryItem {
  id: string;
  delivery_id: string | null;
  event: string;
  action: string | null;
  status: 'pending' | 'processed' | 'skipped' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  deployment_id: string | null;
  received_at: string;
  processed_at: string | null;
}
