import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.js';
import { JsonLogger, createRootLogger, flushLogs } from './common/logging.js';
import { ConfigError, loadConfig } from './config/config.js';
import { checkRuntimeRole, migrateAsOwner, RuntimeRoleError } from './database/migrate.js';
import { SocketDirError } from './database/embedded/socket-dir.js';
import { DataDirBusyError, openDatabase, type OpenDatabase } from './database/open-database.js';
import { isConnectionFailure, sqlState } from './database/postgres-errors.js';
import { createDemoOrgOnFirstStart } from './first-start.js';
import { TenantsService } from './modules/tenancy/tenants.service.js';

const logger = new Logger('Main');

/** The server: validated configuration, the database (migrated), HTTP, the first start, and a bounded stop. */
async function main(): Promise<void> {
  process.once('exit', flushLogs);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    Logger.overrideLogger(new JsonLogger(createRootLogger('info')));
    throw error;
  }
  const root = createRootLogger(config.logLevel);
  Logger.overrideLogger(new JsonLogger(root));
  const database = await openDatabase(config, 'server');
  logger.log(`database: ${database.description}`);
  let app;
  try {
    const applied = await migrateAsOwner(database, config.databaseMigrateUrl ?? database.url);
    if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
    app = await createApp(config, database, { logger: new JsonLogger(root), root });
    const role = await checkRuntimeRole(app.get(DataSource));
    if (role.ownsSchema && database.kind === 'postgresql') {
      logger.warn(
        `the service runs as "${role.name}", which owns the schema: it could alter tables and the audit log. ` +
          'Run it as a role that owns nothing, and migrations with DATABASE_MIGRATE_URL (README "Security").',
      );
    }
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw startupError(error, database);
  }
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host}:${address.port}`;
  if (database.kind === 'embedded') {
    const firstStart = await createDemoOrgOnFirstStart(app, baseUrl);
    if (firstStart) {
      flushLogs(); // the banner is plain text on the same stdout: after what was logged before it
      console.log(firstStart);
    }
  } else if (await app.get(TenantsService).isEmpty()) {
    // An operated installation: its output goes to a log pipeline, where no password or token belongs.
    logger.log('no org yet: create one with the operator CLI (dora orgs:create <slug> --name <name>, then dora users:create <email> --org <slug> --role admin)');
  }
  logger.log(`listening on ${baseUrl} (dashboard and API)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    const deadline = setTimeout(() => {
      logger.error(`did not stop within ${config.shutdownTimeoutMs} ms: exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    // Stops accepting, lets in-flight requests and deliveries finish, closes the pool …
    await app.close();
    // … then the embedded database, if it is ours.
    await database.close();
    clearTimeout(deadline);
    logger.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        logger.error(`could not stop cleanly: ${String(error)}`);
        process.exit(1);
      });
    });
  }
}

/** A reason not to start that the operator can act on: its message says it all, no stack needed. */
class StartupError extends Error {}

/** Says plainly why the service could not start. */
function startupError(error: unknown, database: OpenDatabase): Error {
  if (isConnectionFailure(error)) {
    return new StartupError(`cannot reach the database (${database.description}): ${(error as Error).message}`);
  }
  // 28xxx: the login was refused; 3D000: no such database.
  if (/^28|^3D000$/.test(sqlState(error) ?? '')) {
    return new StartupError(`cannot connect to the database (${database.description}): ${(error as Error).message}`);
  }
  const migration = /Migration "?(\w+)"? failed|error during migration/i.test(String(error));
  return migration ? new StartupError(`a migration failed, nothing of it was applied: ${(error as Error).message}`) : (error as Error);
}

main().catch((error: unknown) => {
  // A reason the operator can act on is said in its message alone; anything else with its stack.
  const known = [ConfigError, DataDirBusyError, StartupError, RuntimeRoleError, SocketDirError].some((kind) => error instanceof kind);
  logger.error(error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error));
  process.exitCode = 1;
  // Let the log line out before leaving.
  setTimeout(() => process.exit(1), 100);
});
