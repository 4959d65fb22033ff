import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { assertOwnerBypassesRowSecurity, migrate } from './database/migrate.js';
import { DataDirBusyError, openDatabase } from './database/open-database.js';
import { createDemoOrgOnFirstStart } from './first-start.js';

const logger = new Logger('Main');

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, 'server');
  logger.log(`database: ${database.description}`);
  const app = await createApp(config, database);
  try {
    await assertOwnerBypassesRowSecurity(app.get(DataSource));
    const applied = await migrate(app.get(DataSource));
    if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.close();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host}:${address.port}`;
  const firstStart = await createDemoOrgOnFirstStart(app, baseUrl);
  if (firstStart) console.log(firstStart);
  logger.log(`listening on ${baseUrl} (dashboard and API)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    await app.close(); // stops accepting, then closes the pool
    await database.close(); // then the embedded database, if it is ours
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

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirBusyError;
  logger.error(known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
