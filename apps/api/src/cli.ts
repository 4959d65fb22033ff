import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CliModule } from './cli/cli.module.js';
import { COMMANDS, type CommandResult, type ParsedArgs, USAGE, UsageError } from './cli/commands.js';
import { DomainError } from './common/errors.js';
import { type AppConfig, ConfigError, loadConfig } from './config/config.js';
import { checkRuntimeRole, migrateAsOwner, RuntimeRoleError } from './database/migrate.js';
import { SocketDirError } from './database/embedded/socket-dir.js';
import { DataDirBusyError, type OpenDatabase, openDatabase } from './database/open-database.js';

/** The operator CLI: `npm run dora -- <command>`. Exit codes: 0 done, 1 refused or failed, 2 bad command line. */
async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        name: { type: 'string' },
        org: { type: 'string' },
        role: { type: 'string' },
        password: { type: 'string' },
        scope: { type: 'string', multiple: true },
        'expires-in': { type: 'string' },
        issuer: { type: 'string' },
        'jwks-uri': { type: 'string' },
        audience: { type: 'string' },
        claim: { type: 'string', multiple: true },
        repo: { type: 'string', multiple: true },
        service: { type: 'string' },
        'max-ttl': { type: 'string' },
        days: { type: 'string' },
        force: { type: 'boolean' },
        grace: { type: 'string' },
        owner: { type: 'string' },
        'allow-any-subject': { type: 'boolean' },
        refused: { type: 'string' },
      },
    });
    json = values.json ?? false;
    const [commandName, ...rest] = positionals;
    if (values.help || commandName === undefined || commandName === 'help') {
      console.log(USAGE);
      return commandName === undefined && !values.help ? 2 : 0;
    }
    const command = COMMANDS[commandName];
    if (!command && commandName !== 'db:migrate') throw new UsageError(`unknown command "${commandName}"`);
    if (!command && rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

    const config = loadConfig();
    const database = await openDatabase(config, 'cli');
    if (!json) console.error(`database: ${database.description}`);
    try {
      // Migrations run as the schema owner; a database this process opened itself may never have met the server.
      const applied = database.owned || !command ? await migrateAsOwner(database, config.databaseMigrateUrl ?? database.url) : [];
      const result = command ? await withApp(config, database, (app) => command(app, { positionals: rest, values: values as ParsedArgs['values'] })) : migrated(applied);
      console.log(json ? JSON.stringify(result.json, null, 2) : result.text.join('\n'));
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const known = usage || error instanceof DomainError || error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof RuntimeRoleError || error instanceof SocketDirError;
    const message = known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (json) {
      const code = usage ? 'usage' : error instanceof DomainError ? error.code : 'failed';
      console.log(JSON.stringify({ error: { code, message } }, null, 2));
    } else {
      console.error(`error: ${message}${usage ? `\n\n${USAGE}` : ''}`);
    }
    return usage ? 2 : 1;
  }
}

async function withApp<T>(config: AppConfig, database: OpenDatabase, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, database), { logger: false });
  try {
    await checkRuntimeRole(app.get(DataSource));
    return await work(app);
  } finally {
    await app.close();
  }
}

function migrated(applied: string[]): CommandResult {
  return { json: { applied }, text: [applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date'] };
}

process.exitCode = await main(process.argv.slice(2));
