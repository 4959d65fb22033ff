// Private PostgreSQL 15 clusters on loopback, for the chaos harness and the tests that need a server of
// their own (a primary with a hot standby): created, restarted, killed and removed by their user (as the
// postgres OS user: initdb refuses root).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../bench/lib.mjs';

const exec = promisify(execFile);
const asPostgres = (command, args) => exec('runuser', ['-u', 'postgres', '--', command, ...args], { maxBuffer: 16 * 1024 * 1024 });

/** Whether this machine can make clusters: root (to act as the postgres OS user) and PostgreSQL 15's server binaries. */
export function canCreateClusters() {
  return process.getuid?.() === 0 && existsSync(`${BIN}/initdb`);
}

const BIN = '/usr/lib/postgresql/15/bin';

/** `settings`: server settings beyond the defaults, e.g. `{ shared_preload_libraries: 'citus' }`. */
export async function createCluster({ settings = {} } = {}) {
  const { dir, data } = await clusterDir();
  await asPostgres(`${BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  return startCluster(dir, data, settings);
}

/** A hot standby of `primary`, streaming from it (`pg_basebackup -R`), started. */
export async function createStandby(primary) {
  const { dir, data } = await clusterDir();
  await asPostgres(`${BIN}/pg_basebackup`, ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '--no-sync']);
  return startCluster(dir, data);
}

async function clusterDir() {
  const dir = await mkdtemp(join(tmpdir(), 'dora-pg-'));
  await exec('chown', ['postgres:postgres', dir]);
  return { dir, data: join(dir, 'data') };
}

async function startCluster(dir, data, settings = {}) {
  const port = await freePort();
  const extra = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`).join('');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60${extra}`;
  const cluster = {
    port,
    url: (database = 'postgres', user = 'postgres') => `postgresql://${user}@127.0.0.1:${port}/${database}`,
    start: () => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '120', 'start']),
    /** `fast` rolls back and disconnects everyone; `immediate` is a crash (recovery at the next start). */
    stop: (mode) => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-m', mode, '-w', '-t', '120', 'stop']),
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
      CREATE ROLE dora_owner LOGIN CREATEROLE BYPASSRLS;
      CREATE ROLE dora_service NOLOGIN;
      CREATE ROLE dora_runtime LOGIN BYPASSRLS IN ROLE dora_service;
    EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await cluster.query(`ALTER DATABASE ${name} OWNER TO dora_owner`);
  return { DATABASE_URL: cluster.url(name, 'dora_runtime'), DATABASE_MIGRATE_URL: cluster.url(name, 'dora_owner') };
}
