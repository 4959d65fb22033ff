// What the scenarios prove, read from the database itself: every acknowledged deployment stored exactly
// once, each with its audit event.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const exec = promisify(execFile);

/** Queries through `pg`. */
export function pgQuery(databaseUrl) {
  return async (sql, params) => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows;
    } finally {
      await db.end();
    }
  };
}

/** Queries through psql run by `wrap` (e.g. inside a mount namespace only it can see); the parameters are this harness's own strings. */
export function psqlQuery(wrap, socketDir) {
  return async (sql, params) => {
    const inlined = sql.replace(/\$(\d+)/g, (_, n) => `'${String(params[n - 1]).replaceAll("'", "''")}'`);
    const { stdout } = await exec(wrap[0], [...wrap.slice(1), 'psql', '-h', socketDir, '-U', 'postgres', '-d', 'postgres', '-X', '-A', '-t', '-F', '\t', '-c', inlined]);
    return stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  };
}

export async function verifyDeployments(query, { slug, prefix, acknowledged }) {
  const rows = (
    await query(
      `SELECT d.external_ref, count(*)::int AS n,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events a
                                                  WHERE a.tenant_id = d.tenant_id AND a.subject_id = d.id::text
                                                    AND a.action = 'api.dora.deployments.ingested'))::int AS without_audit
         FROM dora_deployments d JOIN tenants t ON t.id = d.tenant_id
        WHERE t.slug = $1 AND d.external_ref LIKE $2 GROUP BY d.external_ref`,
      [slug, `${prefix}-%`],
    )
  ).map((row) => (Array.isArray(row) ? { external_ref: row[0], n: Number(row[1]), without_audit: Number(row[2]) } : row));
  const stored = new Set(rows.map((row) => row.external_ref));
  return {
    acknowledged: acknowledged.size,
    stored: rows.length,
    lost: [...acknowledged.keys()].filter((ref) => !stored.has(ref)).length,
    duplicates: rows.filter((row) => row.n > 1).length,
    withoutAudit: rows.reduce((sum, row) => sum + row.without_audit, 0),
  };
}
