import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { csvFields, objectOf } from '../src/cli/import-deployments.js';
import { runCli } from './support/processes.js';
import { ownerUrl, postgresServerEnv } from './support/test-database.js';
import { uniqueSlug } from './support/test-app.js';

describe('csvFields and objectOf', () => {
  it('reads RFC 4180 records: quoted fields with commas, quotes and line breaks', () => {
    expect(csvFields('a,"b,c","say ""hi""",,"line\nbreak"')).toEqual(['a', 'b,c', 'say "hi"', '', 'line\nbreak']);
  });

  it('turns a row into the ingest’s JSON: empty cells left out, booleans and commits typed, extra cells named', () => {
    const header = ['repo_full_name', 'success', 'is_rework', 'commits', 'external_ref'];
    expect(objectOf(header, ['acme/web', 'false', '', '[{"sha":"abc1234","committed_at":"2026-05-14T09:00:00Z"}]', ''])).toEqual({
      repo_full_name: 'acme/web',
      success: false,
      commits: [{ sha: 'abc1234', committed_at: '2026-05-14T09:00:00Z' }],
    });
    expect(objectOf(['success'], ['yes', 'surplus'])).toEqual({ success: 'yes', '(column 2)': 'surplus' });
  });
});

describe('npm run dora -- deployments:import', () => {
  let env: Record<string, string>;
  let dir: string;
  const slug = uniqueSlug('import');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dora-import-'));
    env = process.env.DORA_TEST_DATABASE_KIND === 'postgresql' ? postgresServerEnv() : { DORA_DATA_DIR: join(dir, 'data') };
    expect((await runCli(['orgs:create', slug, '--name', 'Import'], env)).code).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The org's deployments (as the schema owner on PostgreSQL; through the CLI's database otherwise, by counting what a re-import dedupes). */
  const storedRefs = async (): Promise<string[] | undefined> => {
    if (process.env.DORA_TEST_DATABASE_KIND !== 'postgresql') return undefined;
    const client = new pg.Client({ connectionString: ownerUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ external_ref: string }>(
        `SELECT d.external_ref FROM dora_deployments d JOIN tenants t ON t.id = d.tenant_id WHERE t.slug = $1 ORDER BY 1`,
        [slug],
      );
      return rows.map((row) => row.external_ref);
    } finally {
      await client.end();
    }
  };

  it('imports NDJSON and CSV, writes the refused lines with their reasons, and a second import dedupes', async () => {
    const ndjson = join(dir, 'history.ndjson');
    await writeFile(
      ndjson,
      [
        JSON.stringify({ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-01T10:00:00Z', success: false, external_ref: 'n1' }),
        '',
        JSON.stringify({ repo_full_name: 'acme/web', environment: 'production', deployed_at: '2026-05-01T11:00:00Z', external_ref: 'n2' }),
        '{"repo_full_name": "acme/web",',
        JSON.stringify({ repo_full_name: 'acme/web', environment: 'production', deployed_at: 'yesterday', external_ref: 'n5' }),
      ].join('\n'),
    );
    const csv = join(dir, 'history.csv');
    await writeFile(
      csv,
      [
        'repo_full_name,environment,deployed_at,success,external_ref,commits',
        'acme/api,staging,2026-05-02T10:00:00Z,true,c2,"[{""sha"":""abc1234"",""committed_at"":""2026-05-02T09:00:00Z""}]"',
        'acme/api,"stag\ning",2026-05-02T11:00:00Z,true,c3,',
        'acme/api,staging,2026-05-02T12:00:00Z,maybe,c5,',
        'acme/api,staging,2026-05-02T13:00:00Z,false,c6,',
      ].join('\r\n'),
    );

    const first = await runCli(['deployments:import', ndjson, '--org', slug, '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ org: slug, file: ndjson, created: 2, deduped: 0, refused: 2, refused_file: `${ndjson}.refused.ndjson` });
    const refused = (await readFile(`${ndjson}.refused.ndjson`, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(refused).toEqual([
      { line: 4, error: expect.objectContaining({ code: 'invalid_json' }), record: '{"repo_full_name": "acme/web",' },
      { line: 5, error: expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ field: 'deployed_at' })] }), record: expect.stringContaining('"n5"') },
    ]);

    const fromCsv = await runCli(['deployments:import', csv, '--org', slug, '--refused', join(dir, 'csv-refused.ndjson')], env);
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.stdout).toContain(`imported ${csv} into "${slug}": 2 created, 0 already there (deduped), 2 refused`);
    const csvRefused = (await readFile(join(dir, 'csv-refused.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(csvRefused.map((r: { line: number; error: { details?: { field: string }[] } }) => [r.line, r.error.details?.[0]?.field])).toEqual([
      [3, 'environment'], // a quoted line break: the record starts on line 3 and ends on 4
      [5, 'success'],
    ]);

    const again = await runCli(['deployments:import', csv, '--org', slug, '--json', '--refused', join(dir, 'again.ndjson')], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, deduped: 2, refused: 2 });
    const refs = await storedRefs();
    if (refs) expect(refs).toEqual(['c2', 'c6', 'n1', 'n2']);
  });

  it('says plainly when the file or the org is not there', async () => {
    const missing = await runCli(['deployments:import', join(dir, 'nope.ndjson'), '--org', slug], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No file .*nope\.ndjson/);
    const noOrg = await runCli(['deployments:import', join(dir, 'history.csv'), '--org', 'no-such-org'], env);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toMatch(/No org with the slug "no-such-org"/);
  });
});
