// A private PostgreSQL 15 cluster on loopback for the chaos scenarios: created, restarted, killed and
// removed by the harness itself (as the postgres OS user: initdb refuses root).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../bench/lib.mjs';

const exec = promisify(execFile);
const asPostgres = (command, args) => exec('runuser', ['-u', 'postgres', '--', command, ...args], { maxBuffer: 16 * 1024 * 1024 });

export async function createCluster() {
  const dir = await mkdtemp(join(tmpdir(), 'dora-chaos-pg-'));
  await exec('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`;
  const cluster = {
    port,
    url: (database = 'postgres', user = 'postgres') => `postgresql://${user}@127.0.0.1:${port}/${database}`,
    start: () => asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '120', 'start']),
    /** `fast` rolls back and disconnects everyone; `immediate` is a crash (recovery at the next start). */
    stop: (mode) => asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '120', 'stop']),
    async query(sql, params = [], database = 'postgres') {
      const client = new pg.Client({ connectionString: cluster.url(database) });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async remove() {
      await cluster.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

/**
 * A database of its own with the two roles the README sets up: the owner migrates, the service runs
 * as a role that owns nothing — and, not being a superuser, cannot use the reserved connections.
 */
export async function createDatabase(cluster, name) {
  await cluster.query(`CREATE DATABASE ${name}`);
  await cluster.query(`
    DO $$ BEGIN
      CREATE ROLE chaos_owner LOGIN CREATEROLE BYPASSRLS;
      CREATE ROLE dora_service NOLOGIN;
      CREATE ROLE chaos_runtime LOGIN BYPASSRLS IN ROLE dora_service;
    EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await cluster.query(`ALTER DATABASE ${name} OWNER TO chaos_owner`);
  return { DATABASE_URL: cluster.url(name, 'chaos_runtime'), DATABASE_MIGRATE_URL: cluster.url(name, 'chaos_owner') };
}
