// CI's Citus stage: a three-node cluster of its own (tools/citus/cluster.mjs) whose coordinator starts
// as an existing single-PostgreSQL install with data (migrated, then moved onto Citus: the README's
// upgrade path), is upgraded across the latest migration as a distributed install, then the API's
// database-facing suites against it (`npm run test:citus`).
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { ROOT, buildApi } from '../bench/lib.mjs';
import { createCitusCluster } from './cluster.mjs';

const exec = promisify(execFile);
const TENANT = '01a2a000-0000-7000-8000-000000000001';

const migrate = (url) => exec(process.execPath, [`${ROOT}apps/api/dist/cli.js`, 'db:migrate'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });

async function query(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Rows of an existing install: a failure restored by a later success, and their audit events. */
async function existingInstall(url) {
  await migrate(url);
  await query(url, `INSERT INTO tenants (id, slug, name) VALUES ($1, 'before-citus', 'Before Citus')`, [TENANT]);
  for (const [i, success, at] of [[1, false, '2026-11-01T10:00:00Z'], [2, true, '2026-11-01T11:00:00Z']]) {
    await query(
      url,
      `WITH d AS (INSERT INTO dora_deployments (tenant_id, id, repo_full_name, environment, deployed_at, success, restored_at, source)
                  VALUES ($1, $2, 'acme/web', 'production', $3, $4, $5, 'api') RETURNING id)
       INSERT INTO audit_events (tenant_id, id, action, actor_type) SELECT $1, $2, 'deployment.ingested', 'system' FROM d`,
      [TENANT, `01a2a000-0000-7000-8000-00000000000${i + 1}`, at, success, success ? null : '2026-11-01T11:00:00Z'],
    );
  }
}

async function checkMovedOntoCitus(url) {
  await migrate(url);
  const [moved] = await query(
    url,
    `SELECT (SELECT citus_table_type FROM citus_tables WHERE table_name = 'dora_deployments'::regclass) AS kind,
            (SELECT count(*)::int FROM dora_deployments WHERE tenant_id = $1) AS deployments,
            (SELECT count(*)::int FROM audit_events WHERE tenant_id = $1) AS events,
            (SELECT restored_at FROM dora_deployments WHERE tenant_id = $1 AND NOT success) AS restored_at`,
    [TENANT],
  );
  const expected = { kind: 'distributed', deployments: 2, events: 2, restored_at: '2026-11-01T11:00:00.000Z' };
  const found = { ...moved, restored_at: moved.restored_at?.toISOString() ?? null };
  if (JSON.stringify(found) !== JSON.stringify(expected)) throw new Error(`the existing install did not move onto Citus whole: ${JSON.stringify(found)}`);
  console.log('Citus: an existing install moved onto the cluster with its rows (2 deployments, 2 audit events, restored_at kept)');
}

/** What the release before the deployment counts had instead (the statements that take an install back to it). */
const BEFORE_DEPLOYMENT_COUNTS = [
  `DROP TABLE dora_deployment_counts`,
  `DROP FUNCTION dora_derive_deployment(uuid, uuid, text, text, text, timestamptz, boolean, uuid, text[], timestamptz[])`,
  `ALTER FUNCTION dora_derive_series RENAME TO dora_derive_deployment`,
  `DROP FUNCTION dora_add_deployment_counts`,
  `DROP INDEX dora_deployments_failures_idx`,
  `ALTER TABLE dora_deployments DROP COLUMN lead_bucket`,
  `ALTER TABLE dora_change_counts DROP CONSTRAINT dora_change_counts_pkey`,
  `ALTER TABLE dora_change_counts ADD PRIMARY KEY (tenant_id, environment, day, lead_bucket, slot)`,
  `DELETE FROM migrations WHERE name = 'DeploymentCounts1795830000000'`,
];

/**
 * An install distributed before the deployment counts: its distributed change counts get their covering
 * key, the new table is distributed, and the deployments there are counted.
 */
async function checkUpgradeAcrossDeploymentCounts(url) {
  for (const sql of BEFORE_DEPLOYMENT_COUNTS) await query(url, sql);
  await migrate(url);
  const [found] = await query(
    url,
    `SELECT (SELECT citus_table_type FROM citus_tables WHERE table_name = 'dora_deployment_counts'::regclass) AS kind,
            (SELECT array_agg(kind ORDER BY kind) FROM dora_deployment_counts WHERE tenant_id = $1) AS kinds,
            (SELECT pg_get_indexdef('dora_change_counts_pkey'::regclass)) AS change_counts_key`,
    [TENANT],
  );
  // The failure (-3) and the success without commit data (-2) of the existing install.
  const landed = found.kind === 'distributed' && JSON.stringify(found.kinds) === '[-3,-2]' && found.change_counts_key.includes('INCLUDE (n)');
  if (!landed) throw new Error(`the upgrade across the deployment counts did not land whole: ${JSON.stringify(found)}`);
  console.log('Citus: an install distributed before the deployment counts upgraded (counted, distributed, the change counts key covering n)');
}

/**
 * An install distributed before the teams migration: the tables and columns of that migration and the
 * later ones taken away again (as the earlier release had it), then the upgrade — the migrations on
 * distributed tables, and their new tables distributed at the start after them, with the rows there.
 */
async function checkUpgradeOfDistributedInstall(url) {
  const previousRelease = [
    ...BEFORE_DEPLOYMENT_COUNTS,
    `DROP TABLE badge_keys`,
    `DELETE FROM migrations WHERE name = 'BadgeKeys1795820000000'`,
    `DROP FUNCTION dora_lock_series, dora_add_change_counts`,
    `DELETE FROM migrations WHERE name = 'BatchIngest1795810000000'`,
    `DROP FUNCTION dora_ingest_deployment, dora_derive_deployment`,
    `DELETE FROM migrations WHERE name = 'IngestFunctions1795800000000'`,
    `DROP TABLE dora_change_counts`,
    `ALTER TABLE dora_deployments DROP COLUMN first_shipped`,
    `DELETE FROM migrations WHERE name = 'ChangeCounts1795790000000'`,
    `ALTER TABLE tenants DROP COLUMN lead_time_basis`,
    `ALTER TABLE dora_deployments DROP COLUMN change_set_truncated`,
    `DELETE FROM migrations WHERE name = 'LeadTimeBasis1795780000000'`,
    `DROP TABLE dora_changes`,
    `DROP TABLE dora_deployment_commits`,
    `DELETE FROM migrations WHERE name = 'ChangeSets1795770000000'`,
    `DROP TABLE deployment_targets`,
    `DROP TABLE team_rules`,
    `DROP TABLE teams`,
    `DROP INDEX dora_deployments_pinned_team_idx`,
    `DROP INDEX dora_deployments_repo_window_idx`,
    `CREATE INDEX dora_deployments_repo_window_idx ON dora_deployments (tenant_id, environment, repo_full_name, deployed_at) INCLUDE (success, is_rework, lead_time_seconds, restored_at)`,
    `ALTER TABLE dora_deployments DROP COLUMN pinned_team_id, DROP COLUMN service`,
    `DELETE FROM migrations WHERE name = 'Teams1795760000000'`,
  ];
  for (const sql of previousRelease) await query(url, sql); // Citus drops one distributed object per statement
  await migrate(url);
  const added = ['badge_keys', 'deployment_targets', 'dora_change_counts', 'dora_changes', 'dora_deployment_commits', 'dora_deployment_counts', 'team_rules', 'teams'];
  const tables = await query(url, `SELECT table_name::text AS name, citus_table_type AS kind FROM citus_tables WHERE table_name::text = ANY ($1) ORDER BY 1`, [added]);
  const [rows] = await query(
    url,
    `SELECT (SELECT count(*)::int FROM deployment_targets WHERE tenant_id = $1) AS targets,
            (SELECT array_agg(kind ORDER BY kind) FROM dora_deployment_counts WHERE tenant_id = $1) AS kinds`,
    [TENANT],
  );
  const found = JSON.stringify({ tables, targets: rows.targets, kinds: rows.kinds });
  // Its deployments counted by kind: the failure (-3) and the success without commit data (-2).
  const expected = JSON.stringify({ tables: added.map((name) => ({ name, kind: 'distributed' })), targets: 1, kinds: [-3, -2] });
  if (found !== expected) throw new Error(`the upgrade of a distributed install did not distribute the new tables: ${found}`);
  console.log('Citus: an install distributed before the teams migration upgraded (the new tables distributed, its targets and deployment counts recorded)');
}

await buildApi();
const cluster = await createCitusCluster({ beforeCitus: existingInstall });
let code;
try {
  console.log(`Citus: coordinator on ${cluster.coordinator.port}, workers on ${cluster.workers.map((w) => w.port).join(', ')}`);
  await checkMovedOntoCitus(cluster.url);
  await checkUpgradeAcrossDeploymentCounts(cluster.url);
  await checkUpgradeOfDistributedInstall(cluster.url);
  code = await new Promise((resolve) => {
    const child = spawn('npm', ['run', 'test:citus'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DATABASE_URL: cluster.url } });
    child.on('exit', (status) => resolve(status ?? 1));
  });
} finally {
  await cluster.remove();
}
process.exit(code);
