import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CliModule } from './cli/cli.module.js';
import { COMMANDS, type ParsedArgs, USAGE, UsageError } from './cli/commands.js';
import { DomainError } from './common/errors.js';
import { ConfigError, loadConfig } from './config/config.js';
import { assertOwnerBypassesRowSecurity, migrate } from './database/migrate.js';
import { DataDirBusyError, openDatabase } from './database/open-database.js';

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
        'max-ttl': { type: 'string' },
        days: { type: 'string' },
        force: { type: 'boolean' },
      },
    });
    json = values.json ?? false;
    const [commandName, ...rest] = positionals;
    if (values.help || commandName === undefined || commandName === 'help') {
      console.log(USAGE);
      return commandName === undefined && !values.help ? 2 : 0;
    }
    const command = COMMANDS[commandName];
    if (!command) throw new UsageError(`unknown command "${commandName}"`);

    const config = loadConfig();
    const database = await openDatabase(config, 'cli');
    if (!json) console.error(`database: ${database.description}`);
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, database), { logger: false });
    try {
      await assertOwnerBypassesRowSecurity(app.get(DataSource));
      // A database this process opened itself may never have met the server: bring it up to date first.
      if (database.owned && commandName !== 'db:migrate') await migrate(app.get(DataSource));
      const result = await command(app, { positionals: rest, values: values as ParsedArgs['values'] });
      console.log(json ? JSON.stringify(result.json, null, 2) : result.text.join('\n'));
      return 0;
    } finally {
      await app.close();
      await database.close();
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const known = usage || error instanceof DomainError || error instanceof ConfigError || error instanceof DataDirBusyError;
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

process.exitCode = await main(process.argv.slice(2));
