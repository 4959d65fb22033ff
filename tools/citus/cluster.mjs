// A three-node Citus cluster on loopback (a coordinator and two workers, each a private PostgreSQL 15
// cluster with Citus preloaded) with one database `dora`, as the README's "Scaling out" sets Citus up.
// Needs Citus installed (tools/citus/install.sh) and root.
import { createCluster } from '../postgres/clusters.mjs';

const CITUS = { shared_preload_libraries: 'citus', max_connections: '200' };

/**
 * `settings`: server settings for every node, beyond Citus's own.
 * `beforeCitus(url)` runs on the coordinator's database while it is still a plain PostgreSQL one (an
 * existing install, about to move onto Citus); then the extension is created and the workers added.
 */
export async function createCitusCluster({ beforeCitus, settings = {} } = {}) {
  const nodes = [];
  try {
    for (let i = 0; i < 3; i++) nodes.push(await createCluster({ settings: { ...CITUS, ...settings } }));
    const [coordinator, ...workers] = nodes;
    for (const node of nodes) await node.query('CREATE DATABASE dora');
    await beforeCitus?.(coordinator.url('dora'));
    for (const node of nodes) await node.query('CREATE EXTENSION citus', [], 'dora');
    await coordinator.query(`SELECT citus_set_coordinator_host('127.0.0.1', $1)`, [coordinator.port], 'dora');
    for (const worker of workers) await coordinator.query(`SELECT citus_add_node('127.0.0.1', $1)`, [worker.port], 'dora');
    return {
      coordinator,
      workers,
      /** The superuser's, as the test suite is given on PostgreSQL (it makes its runtime role). */
      url: coordinator.url('dora'),
      async remove() {
        await Promise.all(nodes.map((node) => node.remove()));
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.remove()));
    throw error;
  }
}
