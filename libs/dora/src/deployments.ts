import type { ApiErrorBody } from './api-error.js';
import type { Page } from './metrics.js';

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
  /** The part of a monorepo deployed (1-128 characters, as `environment`); absent: the whole repo. */
  service?: string;
  /** A team's slug of the org: owns this deployment whatever the org's rules say. */
  team?: string;
  /** The commits this deployment ships (at most 1,000; the head commit among them when `commit_sha` is given). */
  commits?: CommitInput[];
}

/** One commit of a deployment's change set. */
export interface CommitInput {
  sha: string;
  committed_at: string;
}

/** What became of one line of a batch ingest (`POST /api/v1/dora/deployments/batch`). */
export interface BatchLineResult {
  /**
   * The line's position in the body, from 0 (blank lines are counted, never answered).
   * @asType integer
   */
  line: number;
  status: 'created' | 'deduped' | 'invalid';
  /**
   * The stored deployment's id (created), or the one the external_ref already had (deduped).
   * @format uuid
   */
  id?: string;
  /** Why an invalid line was refused, in the usual error shape. */
  error?: ApiErrorBody['error'];
}

/** Answer of a batch ingest: every non-blank line's outcome, in order, and their counts. */
export interface BatchIngestResult {
  results: BatchLineResult[];
  totals: {
    /** @asType integer */
    created: number;
    /** @asType integer */
    deduped: number;
    /** @asType integer */
    invalid: number;
  };
}

/** Answer of the ingest endpoint: 201 for a new row, 200 with `deduped: true` for a replay. */
export interface IngestedDeployment {
  /** @format uuid */
  id: string;
  /** @format uuid */
  tenant_id: string;
  repo_full_name: string;
  environment: string;
  /** @format date-time */
  deployed_at: string;
  deduped: boolean;
}

/**
 * `GET /api/v1/dora/deployments/last`: the last successful deployment of a (repo, environment, service)
 * of the token's org, and nothing else about it — where a CI reporter's change set starts.
 */
export interface LastDeployment {
  /** Its head commit, lower-case; null when its report named none. */
  commit_sha: string | null;
  /** @format date-time */
  deployed_at: string;
}

export type DeploymentSource = 'api' | 'forgejo';

/** Where a Forgejo delivery stands. */
export type DeliveryStatus = 'pending' | 'processed' | 'skipped' | 'failed';

/** A Forgejo delivery as an org's admins see it. */
export interface DeliveryItem {
  /** @format uuid */
  id: string;
  delivery_id: string | null;
  event: string;
  action: string | null;
  status: DeliveryStatus;
  /** @asType integer */
  attempts: number;
  /** @format date-time */
  next_attempt_at: string | null;
  last_error: string | null;
  /** @format uuid */
  deployment_id: string | null;
  /** @format date-time */
  received_at: string;
  /** @format date-time */
  processed_at: string | null;
}

/** `GET /api/v1/orgs/{slug}/webhooks/deliveries`: newest first, a page at a time. */
export type DeliveryPage = Page<DeliveryItem>;

/** The answer to a Forgejo webhook delivery (`POST /api/v1/webhooks/forgejo`) once it is stored. */
export interface DeliveryReceipt {
  /** @format uuid */
  id: string;
  status: DeliveryStatus;
}
