import type { INestApplicationContext } from '@nestjs/common';
import { isScope, RULE_PATTERN, type Scope } from '@dora/domain';
import { seedDemo } from '../demo/seed-demo.js';
import { importDeployments } from './import-deployments.js';
import { IdentityProvidersService } from '../modules/auth/token-exchange/identity-providers.service.js';
import { TokensService } from '../modules/auth/tokens.service.js';
import { UsersService } from '../modules/auth/users.service.js';
import { TeamsService } from '../modules/teams/teams.service.js';
import { TenantsService } from '../modules/tenancy/tenants.service.js';
import { ForgejoOwnersService } from '../modules/webhook/forgejo-owners.service.js';

/** A wrong command line: exit code 2 and the usage. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  values: {
    name?: string;
    org?: string;
    role?: string;
    password?: string;
    scope?: string[];
    'expires-in'?: string;
    issuer?: string;
    'jwks-uri'?: string;
    audience?: string;
    claim?: string[];
    'max-ttl'?: string;
    days?: string;
    force?: boolean;
    grace?: string;
    owner?: string;
    'allow-any-subject'?: boolean;
    repo?: string[];
    service?: string;
    refused?: string;
  };
}

/** What a command answers: the JSON for `--json`, and the lines for a person. */
export interface CommandResult {
  json: Record<string, unknown>;
  text: string[];
}

type Command = (app: INestApplicationContext, args: ParsedArgs) => Promise<CommandResult>;

const actor = { type: 'system', id: 'cli' } as const;

export const USAGE = `Usage: npm run dora -- <command> [options] [--json]

  orgs:create <slug> --name "<name>"
  users:create <email> --org <slug> --role admin|viewer [--password <password>]
  tokens:create --org <slug> --name <name> --scope <scope> [--scope <scope>] [--expires-in 90d|12h]
  tokens:revoke <token-id>
  tokens:rotate <token-id> [--grace 24h]      a new secret; the old one works for the grace period (0h-720h)
  demo:seed --org <slug> [--days 90] [--force]
  idp:add --org <slug> --issuer <url> --jwks-uri <url> --audience <aud> --claim name=value… [--scope <scope>] [--max-ttl 15m]
          [--allow-any-subject]             trust every subject of the issuer (no --claim): not recommended
  forgejo:map --org <slug> --owner <login>    releases of this Forgejo user's or org's repositories belong to the org
  forgejo:unmap --org <slug> --owner <login>
  teams:create <team> --org <slug> --name <name> [--repo <glob>]… [--service <glob>]
                                            a team; each --repo appends a rule (with --service) to the org's rules
  teams:list --org <slug>
  teams:delete <team> --org <slug>          its rules go; what it owned falls to the remaining rules
  deployments:import <file> --org <slug> [--refused <file>]
                                            history from NDJSON (one deployment per line) or CSV (a header row of the
                                            ingest's field names); refused lines and why go to <file>.refused.ndjson
  db:migrate

Scopes: findings:write (ingest), dora:read (read metrics), dora:admin (settings, tokens).
--json prints only JSON on stdout. Works on DATABASE_URL, or on the embedded database in DORA_DATA_DIR
(through the running server when there is one).`;

export const COMMANDS: Record<string, Command> = {
  'orgs:create': async (app, args) => {
    const slug = onePositional(args, '<slug>');
    const org = await app.get(TenantsService).create({ slug, name: required(args.values.name, '--name') }, actor);
    return { json: { org }, text: [`created org "${org.slug}" (${org.name}), id ${org.id}`] };
  },

  'users:create': async (app, args) => {
    const email = onePositional(args, '<email>');
    const role = required(args.values.role, '--role');
    if (role !== 'admin' && role !== 'viewer') throw new UsageError(`--role must be admin or viewer, not "${role}"`);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const added = await app.get(UsersService).addToOrg({ email, tenantId: org.id, role, password: args.values.password }, actor);
    return {
      json: { user: added.user, org: org.slug, role, created: added.created, password: added.generatedPassword ?? null },
      text: [
        `${added.created ? 'created user' : 'added existing user'} ${added.user.email} to "${org.slug}" as ${role}`,
        ...(added.generatedPassword ? [`password (shown once): ${added.generatedPassword}`] : []),
      ],
    };
  },

  'tokens:create': async (app, args) => {
    noPositionals(args);
    const scopes = (args.values.scope ?? []).map((scope): Scope => {
      if (!isScope(scope)) throw new UsageError(`unknown scope "${scope}": use findings:write, dora:read or dora:admin`);
      return scope;
    });
    if (scopes.length === 0) throw new UsageError('give at least one --scope');
    const expiresIn = args.values['expires-in'];
    const expiresAt = expiresIn === undefined ? null : new Date(Date.now() + durationMs(expiresIn));
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const { token, secret } = await app.get(TokensService).mint(
      { tenantId: org.id, name: required(args.values.name, '--name'), scopes, expiresAt, createdBy: null },
      actor,
    );
    return {
      json: { token: { id: token.id, org: org.slug, name: token.name, scopes: token.scopes, expires_at: token.expires_at }, secret },
      text: [
        `created token "${token.name}" (id ${token.id}) for "${org.slug}" with ${token.scopes.join(', ')}` +
          (token.expires_at ? `, expires ${token.expires_at.toISOString()}` : ', no expiry'),
        `token (shown once): ${secret}`,
      ],
    };
  },

  'tokens:revoke': async (app, args) => {
    const revoked = await app.get(TokensService).revoke(onePositional(args, '<token-id>'), actor);
    return { json: { token: { id: revoked.id, name: revoked.name, revoked_at: revoked.revoked_at } }, text: [`revoked token "${revoked.name}" (${revoked.id})`] };
  },

  'tokens:rotate': async (app, args) => {
    const grace = args.values.grace === undefined ? 24 : graceHours(args.values.grace);
    const { token, secret, previous } = await app.get(TokensService).rotateById(onePositional(args, '<token-id>'), grace, actor);
    return {
      json: { token, secret, previous },
      text: [
        `rotated token "${token.name}": new id ${token.id}${token.expires_at ? `, expires ${token.expires_at}` : ', no expiry'}`,
        `the old secret (id ${previous.id}) works until ${previous.expires_at}`,
        `token (shown once): ${secret}`,
      ],
    };
  },

  'forgejo:map': async (app, args) => {
    noPositionals(args);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const mapped = await app.get(ForgejoOwnersService).map(org.id, required(args.values.owner, '--owner'), actor);
    return { json: { org: org.slug, owner: mapped.owner }, text: [`releases of repositories owned by "${mapped.owner}" now belong to "${org.slug}"`] };
  },

  'forgejo:unmap': async (app, args) => {
    noPositionals(args);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const owner = required(args.values.owner, '--owner');
    await app.get(ForgejoOwnersService).unmap(org.id, owner, actor);
    return { json: { org: org.slug, owner: owner.toLowerCase(), unmapped: true }, text: [`"${owner.toLowerCase()}" is no longer mapped to "${org.slug}"`] };
  },

  'idp:add': async (app, args) => {
    noPositionals(args);
    const claims = Object.fromEntries(
      (args.values.claim ?? []).map((claim) => {
        const match = /^([^=]+)=(.+)$/.exec(claim);
        if (!match) throw new UsageError(`--claim must be name=value (a value or a glob), not "${claim}"`);
        return [match[1]!.trim(), match[2]!.trim()];
      }),
    );
    const scopes = args.values.scope?.length ? args.values.scope : ['findings:write'];
    for (const scope of scopes) if (!isScope(scope)) throw new UsageError(`unknown scope "${scope}"`);
    const ttl = args.values['max-ttl'] === undefined ? 900 : ttlSeconds(args.values['max-ttl']);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const provider = await app.get(IdentityProvidersService).add(
      org.id,
      {
        issuer: required(args.values.issuer, '--issuer'),
        jwks_uri: required(args.values['jwks-uri'], '--jwks-uri'),
        audience: required(args.values.audience, '--audience'),
        required_claims: claims,
        allowed_scopes: scopes,
        max_ttl_seconds: ttl,
        allow_any_subject: args.values['allow-any-subject'] ?? false,
      },
      actor,
    );
    return {
      json: { identity_provider: provider, org: org.slug },
      text: [`"${org.slug}" now trusts ${provider.issuer} (audience ${provider.audience}) for ${provider.allowed_scopes.join(', ')}, tokens of ${provider.max_ttl_seconds} s`],
    };
  },

  'teams:create': async (app, args) => {
    const slug = onePositional(args, '<team>');
    const repos = args.values.repo ?? [];
    const service = args.values.service ?? null;
    for (const pattern of [...repos, ...(service === null ? [] : [service])]) {
      if (!RULE_PATTERN.test(pattern)) throw new UsageError(`"${pattern}" is not a pattern: letters, digits, "-", "_", ".", "/" and "*"`);
    }
    if (service !== null && repos.length === 0) throw new UsageError('--service needs a --repo');
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const teams = app.get(TeamsService);
    const team = await teams.create(org, { slug, name: required(args.values.name, '--name') }, actor);
    if (repos.length > 0) {
      const existing = (await teams.rules(org)).map(({ team, repo, service }) => ({ team, repo, service }));
      await teams.replaceRules(org, [...existing, ...repos.map((repo) => ({ team: slug, repo, service }))], actor);
    }
    const rules = repos.map((repo) => (service === null ? repo : `${repo} service ${service}`));
    return {
      json: { org: org.slug, team: { ...team, rules: repos.length }, rules: repos.map((repo) => ({ repo, service })) },
      text: [`created team "${team.slug}" (${team.name}) in "${org.slug}"${rules.length ? `, owning ${rules.join(', ')} (after the org's earlier rules)` : ''}`],
    };
  },

  'teams:list': async (app, args) => {
    noPositionals(args);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const items = await app.get(TeamsService).list(org);
    return { json: { org: org.slug, items }, text: items.length ? items.map((team) => `${team.slug}\t${team.name}\t${team.rules} rules`) : [`"${org.slug}" has no teams`] };
  },

  'teams:delete': async (app, args) => {
    const slug = onePositional(args, '<team>');
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    await app.get(TeamsService).delete(org, slug, actor);
    return { json: { org: org.slug, team: slug, deleted: true }, text: [`deleted team "${slug}" of "${org.slug}" with its rules`] };
  },

  'deployments:import': async (app, args) => {
    const file = onePositional(args, '<file>');
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const summary = await importDeployments(app, org, file, args.values.refused ?? `${file}.refused.ndjson`);
    const text = [`imported ${file} into "${org.slug}": ${summary.created} created, ${summary.deduped} already there (deduped), ${summary.invalid} refused`];
    if (summary.refusedFile) text.push(`the refused lines and why: ${summary.refusedFile}`);
    return { json: { org: org.slug, file, created: summary.created, deduped: summary.deduped, refused: summary.invalid, refused_file: summary.refusedFile }, text };
  },

  'demo:seed': async (app, args) => {
    noPositionals(args);
    const days = Number(args.values.days ?? 90);
    if (!Number.isInteger(days) || days < 1 || days > 730) throw new UsageError(`--days must be a whole number from 1 to 730, not "${args.values.days}"`);
    const org = await app.get(TenantsService).findBySlug(required(args.values.org, '--org'), 'operator cli');
    const stored = await seedDemo(app, org, { days, force: args.values.force ?? false });
    return { json: { org: org.slug, days, deployments: stored }, text: [`stored ${stored} sample deployments of the last ${days} days in "${org.slug}"`] };
  },
};

/** `90d` or `12h` in milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d{1,5})([dh])$/.exec(value);
  if (!match || Number(match[1]) === 0) throw new UsageError(`--expires-in must look like 90d or 12h, not "${value}"`);
  return Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000);
}

/** `24h` (or a plain number of hours), from 0 to 720. */
export function graceHours(value: string): number {
  const match = /^(\d{1,3})h?$/.exec(value);
  if (!match || Number(match[1]) > 720) throw new UsageError(`--grace must be hours from 0h to 720h (e.g. 24h), not "${value}"`);
  return Number(match[1]);
}

/** `15m`, `1h` or seconds, from 60 s to 1 h. */
export function ttlSeconds(value: string): number {
  const match = /^(\d{1,5})([smh]?)$/.exec(value);
  const seconds = match ? Number(match[1]) * ({ s: 1, '': 1, m: 60, h: 3600 } as Record<string, number>)[match[2]!]! : NaN;
  if (!(seconds >= 60 && seconds <= 3600)) throw new UsageError(`--max-ttl must be from 60s to 1h (e.g. 15m), not "${value}"`);
  return seconds;
}

function onePositional(args: ParsedArgs, name: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`expected exactly one ${name}`);
  return args.positionals[0]!;
}

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}
